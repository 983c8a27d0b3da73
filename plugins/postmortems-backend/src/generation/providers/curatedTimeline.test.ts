import { EvidenceBundle } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { standardTemplate } from '../../__testUtils__/evidenceFixtures';
import { DeterministicProvider } from './DeterministicProvider';

const TRIGGERED = '2026-09-15T09:00:00.000Z';

/** A timeline of `chatLines` chat messages around three events. */
function bundle(
  chatLines: number,
  curation: Record<string, EvidenceBundle['entries'][0]['curation']>,
): EvidenceBundle {
  const at = (minute: number) =>
    new Date(Date.parse(TRIGGERED) + minute * 60_000).toISOString();
  const entries: EvidenceBundle['entries'] = [
    {
      id: 'created',
      at: at(0),
      type: 'incident_created',
      actor: null,
      text: 'Incident declared: Checkout down',
    },
    ...Array.from({ length: chatLines }, (_, i) => ({
      id: `chat-${i}`,
      at: at(1 + i / 10),
      type: 'slack_message',
      actor: 'Bob Okafor',
      text: `Looking at shard ${i}`,
    })),
    {
      id: 'rollback',
      at: at(30),
      type: 'deploy',
      actor: 'Bob Okafor',
      text: 'Deploy of checkout 1.2.2: rollback',
    },
  ];
  return {
    incident: {
      id: 'i1',
      reference: 'INC-1',
      title: 'Checkout down',
      description: null,
      summary: null,
      severity: 'high',
      status: 'resolved',
      commander: null,
      services: [],
      triggered_at: TRIGGERED,
      acknowledged_at: null,
      resolved_at: at(40),
      canceled_at: null,
    },
    entries: entries.map(e => ({ ...e, curation: curation[e.id] })),
    alerts: [],
    template: standardTemplate,
    people: ['Bob Okafor'],
    scrubbed: {},
    chatSource: 'timeline',
  };
}

const curated = (
  change: Partial<NonNullable<EvidenceBundle['entries'][0]['curation']>>,
) => ({ hidden: false, pinned: false, key_moment: null, ...change });

async function timelineOf(evidence: EvidenceBundle) {
  const draft = await new DeterministicProvider().draft({
    evidence,
    mode: 'draft',
    sectionKeys: ['timeline'],
  });
  return draft.sections[0];
}

describe('the drafted Timeline section', () => {
  it('leaves hidden entries out and marks key moments', async () => {
    const section = await timelineOf(
      bundle(3, {
        'chat-1': curated({ hidden: true }),
        'chat-2': curated({ key_moment: 'detected' }),
        rollback: curated({ key_moment: 'mitigated' }),
      }),
    );
    expect(section.markdown).not.toContain('shard 1');
    expect(section.markdown).toContain(
      '| **Detected:** Chat: Looking at shard 2 |',
    );
    expect(section.markdown).toContain(
      'Key moments: **Detected** at 09:01 (1 min after the trigger) · **Mitigated** at 09:30 (30 min after the trigger).',
    );
    expect(section.markdown).toContain('_1 entry is hidden from this timeline');
    expect(section.evidence).toEqual([
      'created',
      'chat-0',
      'chat-2',
      'rollback',
    ]);
  });

  it('keeps pinned chat and key moments when a long timeline is condensed to its events', async () => {
    const section = await timelineOf(
      bundle(120, {
        'chat-7': curated({ pinned: true }),
        'chat-50': curated({ key_moment: 'acknowledged' }),
        'chat-51': curated({ hidden: true }),
      }),
    );
    expect(section.evidence).toEqual([
      'created',
      'chat-7',
      'chat-50',
      'rollback',
    ]);
    expect(section.markdown).toContain(
      '_117 chat messages are not listed; the full timeline is on the incident._',
    );
  });

  it('lists everything when nothing is curated', async () => {
    const section = await timelineOf(bundle(3, {}));
    expect(section.evidence).toHaveLength(5);
    expect(section.markdown).not.toContain('hidden');
    expect(section.markdown).not.toContain('Key moments');
  });
});

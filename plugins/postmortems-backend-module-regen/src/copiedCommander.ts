import {
  IncidentMirrorStore,
  NewTimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { MappedCommander } from './commanderMapping';
import { RegenIncident, RegenTimelineEntry } from './regenSchemas';

/**
 * The copy's timeline entry that records a commander taken from Regen. It is
 * also how a later sync tells such a commander from one set by hand here,
 * without a column of its own: only commanders with this entry follow Regen.
 */
function takenFromRegenId(ref: string): string {
  return `regen-commander:${ref}`;
}

/** What a copy's commander becomes, and the entry that records it. */
export interface CommanderChange {
  /** Absent: the commander stays as it is. */
  commander?: string | null;
  entry?: NewTimelineEntry & { externalId: string };
}

/**
 * The copy's commander after a copy from Regen. A commander set by hand here
 * (when the incident was created from Backstage, or changed since) stays,
 * whatever Regen says. A copy without a commander, or whose commander was
 * taken from Regen, follows Regen: it gets the catalog User of Regen's
 * commander, and loses a commander Regen no longer has. A Regen commander
 * with no catalog User (or a lookup that failed) changes nothing: not knowing
 * who it is is not the same as nobody.
 */
export async function copiedCommander(
  store: IncidentMirrorStore,
  copy: { id?: string; commander: string | null },
  mapped: MappedCommander | undefined,
  regen: RegenIncident,
  regenTimeline: RegenTimelineEntry[],
): Promise<CommanderChange> {
  const current = copy.commander;
  const followsRegen =
    current === null ||
    (copy.id !== undefined &&
      !!(await store.timelineEntryByExternalId(
        copy.id,
        takenFromRegenId(current),
      )));
  if (!followsRegen) return {};
  if (!mapped) return current === null ? {} : { commander: null };
  if (!mapped.ref || mapped.ref === current) return {};
  return {
    commander: mapped.ref,
    entry: {
      externalId: takenFromRegenId(mapped.ref),
      type: 'commander_assigned',
      actor: 'regen',
      timestamp: assignedAt(mapped.regenId, regen, regenTimeline),
      content: {
        commander: mapped.ref,
        regen_commander_id: mapped.regenId,
        regen_commander_name: mapped.regenName,
      },
    },
  };
}

/**
 * When Regen made this user commander: its latest `commander_assigned`
 * entry naming them, or the incident's start for a commander it began with.
 */
function assignedAt(
  regenId: string,
  regen: RegenIncident,
  timeline: RegenTimelineEntry[],
): string {
  const assigned = timeline.filter(
    e => e.type === 'commander_assigned' && e.content?.commander_id === regenId,
  );
  return assigned.at(-1)?.timestamp ?? regen.triggered_at;
}

import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EvidenceFinding,
  Incident,
  PostmortemSection,
  PostmortemTemplate,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IncidentStore } from '../database/IncidentStore';
import { TimelineCurationStore } from '../database/TimelineCurationStore';
import { EvidenceCheck, StructuredActionItem } from './EvidenceCheck';
import {
  ChatMessage,
  ChatThreadSource,
  EvidenceBundle,
  RelatedEvidence,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { assembleEvidence } from './evidence/EvidenceBundle';
import { Scrubber, ScrubPatternConfig } from './evidence/Scrubber';
import { catalogNames, refsOfIncident } from './evidence/entityNames';
import { evidenceAfterEdit, evidenceIndex } from './evidence/evidenceLinks';

/**
 * Gathers an incident's evidence (timeline, alerts, chat thread) and checks
 * drafts against it.
 */
/** Sections as they were, with the evidence each cited. */
export interface SectionsBefore {
  sections: PostmortemSection[];
  evidence: Record<string, string[]>;
}

/** What the evidence check found, and the evidence each section cites. */
export interface SectionsCheck {
  findings: EvidenceFinding[];
  evidence: Record<string, string[]>;
}

/** Earlier published post-mortems related to an incident, most related first. */
export type RelatedForDraft = (
  incident: Incident,
  sections: PostmortemSection[] | undefined,
) => Promise<RelatedEvidence[]>;

export class EvidenceService {
  constructor(
    private readonly deps: {
      incidentStore: IncidentStore;
      /** Authors' curation of the timeline (hidden, pinned, key moments). */
      curation?: TimelineCurationStore;
      scrubPatterns: ScrubPatternConfig[];
      /** Readers of chat threads, one per chat provider (e.g. Slack). */
      chatSources: ChatThreadSource[];
      logger: LoggerService;
      /** Where display names of people, teams and services come from. */
      catalog?: CatalogService;
      auth?: AuthService;
      /** Earlier post-mortems related to an incident, for drafts. */
      related?: RelatedForDraft;
    },
  ) {}

  /**
   * The evidence bundle of an incident. With `fetchChat`, the Slack thread is
   * read and its messages are added to the timeline (once each), so later
   * checks and drafts see them too. With `related`, earlier post-mortems
   * related to the incident come along as context (drafts only: the
   * evidence check does not need them).
   */
  async bundle(
    incident: Incident,
    template: PostmortemTemplate,
    options: {
      fetchChat: boolean;
      related?: { sections: PostmortemSection[] | undefined };
    },
  ): Promise<EvidenceBundle> {
    const source = incident.chat
      ? this.deps.chatSources.find(c => c.provider === incident.chat!.provider)
      : undefined;
    if (options.fetchChat && source && incident.chat) {
      const chat = await source.fetch(incident.chat, {
        from: incident.triggered_at,
        to: incident.resolved_at ?? incident.canceled_at,
      });
      await this.remember(incident, chat);
    }
    const [timeline, alerts, curation, related] = await Promise.all([
      this.deps.incidentStore.fullTimeline(incident.id),
      this.deps.incidentStore.alertsOfIncident(incident.id),
      this.deps.curation?.curationOf(incident.id),
      options.related ? this.relatedTo(incident, options.related.sections) : [],
    ]);
    const entities = await catalogNames(
      refsOfIncident(incident, timeline),
      this.deps,
    );
    return assembleEvidence({
      incident,
      timeline,
      alerts,
      template,
      entities,
      curation,
      related,
      // Fetched messages are on the timeline by now, as slack_message entries.
      scrubber: new Scrubber(this.deps.scrubPatterns),
    });
  }

  /**
   * The evidence check of these sections, and what each cites: sections
   * rewritten since `previous` are cited afresh from their words, the others
   * keep their links. One bundle serves both.
   */
  async checkSections(
    incident: Incident,
    template: PostmortemTemplate,
    sections: PostmortemSection[],
    options: {
      actionItems?: StructuredActionItem[];
      previous?: SectionsBefore;
    } = {},
  ): Promise<SectionsCheck> {
    const evidence = await this.bundle(incident, template, {
      fetchChat: false,
    });
    return {
      findings: new EvidenceCheck(evidence).check(sections, {
        actionItems: options.actionItems ?? [],
      }),
      evidence: evidenceAfterEdit(
        evidenceIndex(evidence),
        sections,
        options.previous,
      ),
    };
  }

  /** Related post-mortems; a draft is written without them when they cannot be read. */
  private async relatedTo(
    incident: Incident,
    sections: PostmortemSection[] | undefined,
  ): Promise<RelatedEvidence[]> {
    if (!this.deps.related) return [];
    try {
      return await this.deps.related(incident, sections);
    } catch (error) {
      this.deps.logger.warn(
        `Could not find post-mortems related to ${incident.reference}: ${error}`,
      );
      return [];
    }
  }

  /** Appends chat messages not yet on the timeline as `slack_message` entries. */
  private async remember(incident: Incident, chat: ChatMessage[]) {
    const timeline = await this.deps.incidentStore.fullTimeline(incident.id);
    const known = new Set(
      timeline
        .filter(e => e.type === 'slack_message')
        .map(e => String(e.content.ts ?? '')),
    );
    const fresh = chat.filter(m => !known.has(m.ts));
    if (fresh.length) {
      await this.deps.incidentStore.addTimelineEntries(
        incident.id,
        fresh.map(m => ({
          type: 'slack_message' as const,
          actor: m.user,
          timestamp: m.at,
          content: { text: m.text, user: m.user, ts: m.ts },
        })),
      );
      this.deps.logger.info(
        `Added ${fresh.length} Slack messages to the timeline of ${incident.reference}`,
      );
    }
  }
}

import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EvidenceFinding,
  Incident,
  PostmortemSection,
  PostmortemTemplate,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IncidentStore } from '../database/IncidentStore';
import { EvidenceStore } from '../database/EvidenceStore';
import { StructuredActionItem } from './EvidenceCheck';
import {
  ChatMessage,
  ChatThreadSource,
  EvidenceBundle,
  RelatedEvidence,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { assembleEvidence } from './evidence/EvidenceBundle';
import { Scrubber, ScrubPatternConfig } from './evidence/Scrubber';
import { catalogNames, refsOfIncident } from './evidence/entityNames';
import { evidenceAfterEdit } from './evidence/evidenceLinks';
import {
  EvidenceCache,
  PreparedEvidence,
  prepareEvidence,
} from './evidence/EvidenceCache';

/**
 * Evidence kept for saves: up to this many timeline entries over all kept
 * incidents (a few MB), and names from the catalog at most this old.
 */
const CACHE_MAX_ENTRIES = 200_000;
const CACHE_TTL_MS = 5 * 60_000;

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
  private readonly cache = new EvidenceCache({
    maxEntries: CACHE_MAX_ENTRIES,
    ttlMs: CACHE_TTL_MS,
  });

  constructor(
    private readonly deps: {
      incidentStore: IncidentStore;
      /** Reads an incident's timeline, alerts and curation in one statement. */
      stored: EvidenceStore;
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
    const [{ timeline, alerts, curation }, related] = await Promise.all([
      this.deps.stored.read(incident.id),
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
      /**
       * The incident's evidence version as just read with it: evidence
       * prepared under the same version is reused instead of read again.
       */
      evidenceVersion?: number;
    } = {},
  ): Promise<SectionsCheck> {
    const evidence = await this.prepared(
      incident,
      template,
      options.evidenceVersion,
    );
    return {
      findings: evidence.check.check(sections, {
        actionItems: options.actionItems ?? [],
      }),
      evidence: evidenceAfterEdit(evidence.index, sections, options.previous),
    };
  }

  private prepared(
    incident: Incident,
    template: PostmortemTemplate,
    evidenceVersion: number | undefined,
  ): Promise<PreparedEvidence> {
    const prepare = async () =>
      prepareEvidence(
        await this.bundle(incident, template, { fetchChat: false }),
      );
    if (evidenceVersion === undefined) return prepare();
    // The template shapes the bundle too (its sections and questions).
    const key = `${evidenceVersion}|${template.id}|${template.updated_at}`;
    return this.cache.get(incident.id, key, prepare);
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

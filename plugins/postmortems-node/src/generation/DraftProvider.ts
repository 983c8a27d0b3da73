import {
  PostmortemSection,
  ProviderKind,
  ProviderStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { EvidenceBundle } from './evidence';

/**
 * One drafted section with the evidence (timeline entry ids) it rests on.
 *
 * @public
 */
export interface DraftSection {
  key: string;
  title: string;
  markdown: string;
  evidence: string[];
}

/**
 * An action item the draft proposes; a reviewer accepts, edits or drops it.
 *
 * @public
 */
export interface ProposedActionItem {
  description: string;
  category: string | null;
  ownerHint: string | null;
  dueInDays: number | null;
  evidence: string[];
}

/** @public */
export interface DraftRequest {
  evidence: EvidenceBundle;
  /** `draft` writes sections from evidence; `enhance` rewrites `current` for clarity. */
  mode: 'draft' | 'enhance';
  /** Only these sections (regenerate one section); all of the template's otherwise. */
  sectionKeys?: string[];
  /** The current sections, for `enhance`. */
  current?: PostmortemSection[];
  /** Called as each section is finished, for progress. */
  onSection?: (section: DraftSection) => Promise<void> | void;
  /**
   * Called with a section's text so far while it is being written (providers
   * that stream); the section is final only when `onSection` has it.
   */
  onSectionText?: (section: DraftSection) => void;
  signal?: AbortSignal;
}

/** @public */
export interface Draft {
  sections: DraftSection[];
  actionItems: ProposedActionItem[];
  /** `ai` or `deterministic`, stored as the post-mortem's generated_by. */
  generatedBy: 'ai' | 'deterministic';
}

/**
 * Something that writes post-mortem drafts from evidence.
 *
 * @public
 */
export interface DraftProvider {
  readonly kind: ProviderKind;
  status(): ProviderStatus;
  draft(request: DraftRequest): Promise<Draft>;
  /** A cheap call that proves the provider is reachable and the key works. */
  testConnection(): Promise<{ ok: boolean; message: string }>;
}

/**
 * A generation failure, with a message a user can act on. Nothing was saved
 * when this is thrown.
 *
 * @public
 */
export class GenerationError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'GenerationError';
  }
}

import {
  Draft,
  DraftRequest,
  DraftSection,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { ModelAnswer } from './modelAnswer';
import { BudgetedTimeline } from './TimelineBudget';

/**
 * What a drafting strategy works with: the request, the sections to write,
 * the timeline fitted to the budget, and one checked model call (deadline,
 * cancellation and error wording are the provider's).
 */
export interface DraftContext {
  request: DraftRequest;
  keys: string[];
  timeline: BudgetedTimeline;
  call(
    user: string,
    sectionKeys: string[],
    /** Sees the section's Markdown so far while the answer streams. */
    onText?: (markdownSoFar: string) => void,
  ): Promise<{ sections: DraftSection[]; answer: ModelAnswer }>;
  /** The action items of an answer, their evidence limited to the known entries. */
  proposals(answer: ModelAnswer): Draft['actionItems'];
}

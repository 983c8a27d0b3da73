import pLimit from 'p-limit';
import {
  Draft,
  DraftSection,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { draftUserPrompt } from './prompt';
import { DraftContext } from './strategy';

/**
 * One call per section and one for the action items, `parallelism` at a
 * time; each section is streamed while it is written and reported the
 * moment it is done. The first failure fails the draft: no further call
 * starts, and `stop` aborts those under way.
 */
export async function draftBySections(
  ctx: DraftContext,
  parallelism: number,
  stop: AbortController,
): Promise<Draft> {
  const { request, keys, timeline } = ctx;
  const { evidence } = request;
  const sections = new Map<string, DraftSection>();
  let items: Draft['actionItems'] = [];

  const writeSection = async (key: string) => {
    const user = draftUserPrompt(evidence, timeline, [key], 'sections');
    const title =
      evidence.template.sections.find(t => t.key === key)?.title ?? key;
    const onText = request.onSectionText
      ? (markdown: string) =>
          request.onSectionText!({ key, title, markdown, evidence: [] })
      : undefined;
    const [section] = (await ctx.call(user, [key], onText)).sections;
    sections.set(key, section);
    await request.onSection?.(section);
  };
  const proposeItems = async () => {
    const user = draftUserPrompt(evidence, timeline, [], 'action-items');
    items = ctx.proposals((await ctx.call(user, [])).answer);
  };

  const limit = pLimit(Math.max(1, parallelism));
  // Aborting as the failure happens (not when Promise.all reports it) keeps
  // the calls still queued from starting.
  const run = (task: () => Promise<void>) =>
    limit(async () => {
      if (stop.signal.aborted) return;
      try {
        await task();
      } catch (error) {
        stop.abort();
        throw error;
      }
    });
  const tasks = keys.map(key => run(() => writeSection(key)));
  if (!request.sectionKeys) tasks.push(run(proposeItems));
  await Promise.all(tasks);
  return {
    sections: keys.map(key => sections.get(key)!),
    generatedBy: 'ai',
    actionItems: items,
  };
}

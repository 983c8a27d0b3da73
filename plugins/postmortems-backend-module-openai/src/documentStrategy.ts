import { Draft } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { draftUserPrompt, enhanceUserPrompt } from './prompt';
import { DraftContext } from './strategy';

/**
 * One call writes every asked-for section (and, for a whole new draft, the
 * action items): the fewest tokens, as the evidence is sent once. Enhancing
 * always works this way, as it rewrites the sections it is given together.
 */
export async function draftAsDocument(ctx: DraftContext): Promise<Draft> {
  const { request, keys, timeline } = ctx;
  const { evidence } = request;
  const user =
    request.mode === 'enhance'
      ? enhanceUserPrompt(
          evidence,
          timeline,
          (request.current ?? []).filter(s => keys.includes(s.key)),
        )
      : draftUserPrompt(evidence, timeline, keys);
  const { sections, answer } = await ctx.call(user, keys);
  for (const section of sections) await request.onSection?.(section);
  const wantsItems = request.mode === 'draft' && !request.sectionKeys;
  return {
    sections,
    generatedBy: 'ai',
    actionItems: wantsItems ? ctx.proposals(answer) : [],
  };
}

import { PostmortemSection } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { plainText } from '../generation/providers/draftMarkdown';

/*
 * Which cause categories a post-mortem's own words suggest. A suggestion
 * for the author, shown beside the categories they choose; never filed
 * without them. The words are those engineers use when they write up each
 * kind of cause; a category of a custom template that no rule knows is
 * simply never suggested.
 */
const RULES: Record<string, RegExp> = {
  'code-change':
    /\b(deploy(ed|ment|s)?|releas(e|ed)|roll(ed)? ?out|regression|bug|commit|merged?|pull request|code change|hotfix|version \d|\d+\.\d+\.\d+)\b/i,
  configuration:
    /\b(config(uration|ured|s)?|misconfigur\w*|settings?|feature flag|flag|env(ironment)? var\w*|yaml|template|default value|path|alias|parameter)\b/i,
  capacity:
    /\b(capacity|load|traffic|spike|exhaust(ed|ion)|pool|saturat\w*|throttl\w*|rate limit\w*|out of memory|oom|cpu|memory|disk (full|space)|backlog|queue(d|s)? up|scal(e|ing)|shards?|hot ?spot)\b/i,
  dependency:
    /\b(third[- ]party|vendor|provider|upstream|dependenc(y|ies)|external (api|service)|card (processor|network)|processor|payment gateway|cdn|saas|partner)\b/i,
  expiry:
    /\b(expir(ed|y|ation|es)|laps(e|ed|es)|certificates?|certs?|renew(al|ed)?|tls|x509|ca bundle|secrets? rotat\w*|licen[cs]e|token (expired|lifetime))\b/i,
  data: /\b(migrations?|schema|data(base)? (corruption|loss)|corrupt\w*|backfill|reindex\w*|index (rebuild|template)|replication|vacuum|table lock|deadlock|stale data|duplicates?)\b/i,
  infrastructure:
    /\b(node|host|network(ing)?|dns|load balancer|kubernetes|k8s|cluster|availability zone|region|hardware|vm|instance|disk|kernel|firewall)\b/i,
  process:
    /\b(runbook|manual (step|change)|process|procedure|checklist|handover|review(ed)? (step|process)|approval|on-?call|communication|documentation)\b/i,
};

/** The sections whose words describe what caused an incident. */
const CAUSE_SECTIONS = new Set([
  'root_cause',
  'contributing_factors',
  'infrastructure_and_dependencies',
]);

/**
 * Two mentions, in different clauses, make a suggestion: one word in
 * passing is not a cause. Clauses end at sentence ends, semicolons, colons
 * and ", and": writers pack two causes into one sentence that way.
 */
const MIN_MENTIONS = 2;

/**
 * Categories of `available` that the root cause and contributing factors
 * suggest, most mentioned first. Lines that only prompt the author (the
 * template's questions, in italics) do not count.
 */
export function suggestCauses(
  sections: PostmortemSection[],
  available: string[],
): string[] {
  const text = sections
    .filter(s => CAUSE_SECTIONS.has(s.key))
    .map(s =>
      s.markdown
        .split('\n')
        .filter(line => !/^\s*(?:[-*>]\s*)?_[^_]+_\s*$/.test(line))
        .join('\n'),
    )
    .map(plainText)
    .join('\n');
  if (!text.trim()) return [];
  const sentences = text.split(/(?<=[.!?;:])\s+|\n+|,\s+and\s+/);
  return available
    .map(category => {
      const rule = RULES[category];
      const mentions = rule
        ? sentences.filter(sentence => rule.test(sentence)).length
        : 0;
      return { category, mentions };
    })
    .filter(c => c.mentions >= MIN_MENTIONS)
    .sort((a, b) => b.mentions - a.mentions)
    .map(c => c.category);
}

import { EntityName } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** Text with the entity refs the evidence names replaced by their names. */
export type EntityNamer = (text: string) => string;

const escapeRegExp = (text: string) =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The model copies what it is shown: a prompt that says
 * "user:default/frank.li" gets a draft that says it too. Every ref the
 * evidence bundle has a name for (commander, actors, services) is shown by
 * that name instead, so drafts read "Frank Li" and "Checkout API" as the
 * deterministic drafter's do. Longest refs first, so that a ref that is a
 * prefix of another never cuts it.
 */
export function entityNamer(
  entities: Record<string, EntityName> | undefined,
): EntityNamer {
  const byRef = new Map(
    Object.entries(entities ?? {}).map(([ref, name]) => [
      ref.toLowerCase(),
      name.title,
    ]),
  );
  if (!byRef.size) return text => text;
  const refs = [...byRef.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(
    `(?<![\\w/:.-])(?:${refs.map(escapeRegExp).join('|')})(?![\\w/-])`,
    'gi',
  );
  return text => text.replace(pattern, ref => byRef.get(ref.toLowerCase())!);
}

import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Incident,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  EntityName,
  displayNameOf,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * Catalog entity refs as people write them in incident records:
 * `user:default/frank.li`, `component:checkout-api`. A trailing dot is the
 * end of a sentence, not part of the name.
 */
export const ENTITY_REF_PATTERN =
  /\b(user|group|component|system|resource|api|domain):(?:([a-z0-9][a-z0-9._-]*)\/)?([a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)/gi;

interface ParsedRef {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
}

function parse(match: RegExpMatchArray): ParsedRef {
  const kind = match[1].toLowerCase();
  const namespace = (match[2] ?? 'default').toLowerCase();
  const name = match[3];
  return {
    ref: `${kind}:${namespace}/${name}`.toLowerCase(),
    kind,
    namespace,
    name,
  };
}

function addRefs(refs: Set<string>, text: string | null | undefined) {
  for (const match of (text ?? '').matchAll(ENTITY_REF_PATTERN)) {
    refs.add(parse(match).ref);
  }
}

/** Every entity ref in these texts, once each, in lower case. */
export function refsIn(texts: Array<string | null | undefined>): string[] {
  const refs = new Set<string>();
  for (const text of texts) addRefs(refs, text);
  return [...refs];
}

/** The refs an incident's record mentions: commander, services, actors, timeline text. */
export function refsOfIncident(
  incident: Pick<Incident, 'commander' | 'services'>,
  timeline: Array<Pick<TimelineEntry, 'actor' | 'content'>>,
): string[] {
  // The same refs, in the same order, as reading every actor and the JSON of
  // every entry's content; but a long incident's timeline is mostly chat by
  // a handful of people, so an actor already read is not read again (its
  // refs are in the set already), and content that cannot mention a ref is
  // not turned into JSON at all: that was a string and a regex scan per
  // entry, most of the time it took to assemble 100,000 entries.
  const refs = new Set<string>();
  addRefs(refs, incident.commander);
  for (const service of incident.services) addRefs(refs, service);
  const actorsRead = new Set<string>();
  for (const entry of timeline) {
    if (entry.actor && !actorsRead.has(entry.actor)) {
      actorsRead.add(entry.actor);
      addRefs(refs, entry.actor);
    }
    const content = entry.content ?? {};
    if (mayHoldRef(content, 0)) addRefs(refs, JSON.stringify(content));
  }
  return [...refs];
}

/** Deeper than this, a value is turned into JSON and read as before. */
const MAX_DEPTH = 32;

/**
 * Whether the JSON of a value can hold an entity ref. A ref has a colon right
 * after its kind (`user:`). In JSON text a colon is either the separator
 * after a key, which follows a quote and so never a kind, or a character of
 * a key or string value, where escaping neither adds nor removes colons. So
 * JSON without a colon in any key or string can hold no ref. Anything but
 * plain objects, arrays and primitives (a `toJSON`, a Date, a bigint, a
 * cycle, which JSON.stringify rejects) answers yes, so that it takes the
 * JSON path exactly as before.
 */
function mayHoldRef(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return value.includes(':');
    case 'object':
      break;
    case 'bigint':
    case 'function':
      return true;
    default:
      return false;
  }
  if (value === null) return false;
  if (depth > MAX_DEPTH) return true;
  const record = value as Record<string, unknown>;
  if (typeof record.toJSON === 'function') return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (mayHoldRef(value[i], depth + 1)) return true;
    }
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return true;
  // for...in also sees inherited enumerable keys, which JSON leaves out:
  // at worst a needless yes.
  for (const key in record) {
    if (key.includes(':') || mayHoldRef(record[key], depth + 1)) return true;
  }
  return false;
}

/**
 * How a ref reads when the catalog cannot say: a user's name as words
 * (`frank.li` -> `Frank Li`), anything else by its name. No link, since the
 * catalog page may not exist.
 */
export function fallbackName(ref: string): EntityName {
  const match = [...ref.matchAll(ENTITY_REF_PATTERN)][0];
  if (!match) return { ref, title: ref, link: null };
  const parsed = parse(match);
  return {
    ref: parsed.ref,
    title: parsed.kind === 'user' ? displayNameOf(parsed.name) : parsed.name,
    link: null,
  };
}

/** The name an entity ref reads as, from the bundle's names or the fallback. */
export function nameOf(
  ref: string,
  entities: Record<string, EntityName> | undefined,
): EntityName {
  const [match] = [...ref.matchAll(ENTITY_REF_PATTERN)];
  const key = match ? parse(match).ref : ref.toLowerCase();
  return entities?.[key] ?? fallbackName(ref);
}

type CatalogEntityFields = {
  kind: string;
  metadata: { name: string; namespace?: string; title?: string };
  spec?: { profile?: { displayName?: string } };
};

/**
 * Display names and catalog pages of these refs, asked of the catalog in one
 * request: a user's profile display name, else the entity's title, else its
 * name. Refs the catalog does not know (or an unreachable catalog) read as
 * their fallback name, so a draft never waits on the catalog.
 */
export async function catalogNames(
  refs: string[],
  deps: {
    catalog?: CatalogService;
    auth?: AuthService;
    logger?: LoggerService;
  },
): Promise<Record<string, EntityName>> {
  const names: Record<string, EntityName> = Object.fromEntries(
    refs.map(ref => [ref, fallbackName(ref)]),
  );
  if (!refs.length || !deps.catalog || !deps.auth) return names;
  try {
    const { items } = await deps.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.profile.displayName',
        ],
      },
      { credentials: await deps.auth.getOwnServiceCredentials() },
    );
    for (const item of items as Array<CatalogEntityFields | undefined>) {
      if (!item) continue;
      const kind = item.kind.toLowerCase();
      const namespace = item.metadata.namespace ?? 'default';
      const ref = `${kind}:${namespace}/${item.metadata.name}`.toLowerCase();
      names[ref] = {
        ref,
        title:
          item.spec?.profile?.displayName ??
          item.metadata.title ??
          item.metadata.name,
        link: `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
          kind,
        )}/${encodeURIComponent(item.metadata.name)}`,
      };
    }
  } catch (error) {
    deps.logger?.warn(
      `Could not read display names from the catalog; drafts name entities by their ref names: ${error}`,
    );
  }
  return names;
}

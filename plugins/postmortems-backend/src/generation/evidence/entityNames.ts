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

/** Every entity ref in these texts, once each, in lower case. */
export function refsIn(texts: Array<string | null | undefined>): string[] {
  const refs = new Set<string>();
  for (const text of texts) {
    for (const match of (text ?? '').matchAll(ENTITY_REF_PATTERN)) {
      refs.add(parse(match).ref);
    }
  }
  return [...refs];
}

/** The refs an incident's record mentions: commander, services, actors, timeline text. */
export function refsOfIncident(
  incident: Pick<Incident, 'commander' | 'services'>,
  timeline: Array<Pick<TimelineEntry, 'actor' | 'content'>>,
): string[] {
  return refsIn([
    incident.commander,
    ...incident.services,
    ...timeline.flatMap(e => [e.actor, JSON.stringify(e.content ?? {})]),
  ]);
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

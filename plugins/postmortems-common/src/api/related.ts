import { z } from 'zod';
import { timestamp } from './shared';

/*
 * Related post-mortems while drafting: published post-mortems of the same
 * services, of services related to them in the catalog, and of similar
 * causes, each with why it was matched.
 * `/v1/incidents/:id/postmortem/related?limit=3`.
 */

/** `?limit=`: how many related post-mortems to return (1 to 20, 3 unless told). @public */
export const relatedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(20).default(3),
});
/** @public */
export type RelatedQuery = z.input<typeof relatedQuerySchema>;

/**
 * How a related service is related to a service of the incident, as the
 * catalog says: the incident's service depends on it, it depends on the
 * incident's service, or both are part of the same system.
 *
 * @public
 */
export const serviceRelationSchema = z.enum([
  'depends_on',
  'dependency_of',
  'same_system',
]);
/** @public */
export type ServiceRelation = z.infer<typeof serviceRelationSchema>;

/** Why a post-mortem was found related. @public */
export const relatedReasonSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('same_service'),
    /** The service both incidents affected. */
    service: z.string(),
  }),
  z.object({
    kind: z.literal('related_service'),
    /** The related post-mortem's service. */
    service: z.string(),
    relation: serviceRelationSchema,
    /** The incident's own service it is related to. */
    via: z.string(),
    /** The system both are part of (`same_system`). */
    system: z.string().optional(),
  }),
  z.object({
    kind: z.literal('similar_cause'),
    /** The words the causes share that weigh most, heaviest first. */
    terms: z.array(z.string()),
    /** Cosine similarity of the causes' words (TF-IDF), 0 to 1. */
    score: z.number(),
  }),
]);
/** @public */
export type RelatedReason = z.infer<typeof relatedReasonSchema>;

/** A published post-mortem related to the incident being written up. @public */
export const relatedPostmortemSchema = z.object({
  postmortem_id: z.string(),
  incident_id: z.string(),
  /** The incident's reference (`INC-12`); the post-mortem's page is `/postmortems/incidents/<reference>`. */
  reference: z.string(),
  title: z.string(),
  severity: z.string(),
  services: z.array(z.string()),
  triggered_at: timestamp,
  published_at: timestamp.nullable(),
  /** Higher is more related: same service over related service over cause similarity. */
  score: z.number(),
  reasons: z.array(relatedReasonSchema),
});
/** @public */
export type RelatedPostmortem = z.infer<typeof relatedPostmortemSchema>;

/** A service's name as people say it: `payments-service`, the kind and default namespace left out. */
function serviceName(ref: string): string {
  const match = /^(?:[^:]+:)?(?:([^/]+)\/)?(.+)$/.exec(ref);
  if (!match) return ref;
  const [, namespace, name] = match;
  return namespace && namespace !== 'default' ? `${namespace}/${name}` : name;
}

const RELATION_WORDS = {
  depends_on: 'Depends on',
  dependency_of: 'Depended on by',
  same_system: 'Same system as',
} as const;

/**
 * Why a post-mortem was matched, in words: the card beside a draft and the
 * draft itself say it the same way.
 *
 * @public
 */
export function relatedReasonText(reason: RelatedReason): string {
  if (reason.kind === 'same_service') {
    return `Same service: ${serviceName(reason.service)}`;
  }
  if (reason.kind === 'related_service') {
    return `${RELATION_WORDS[reason.relation]}: ${serviceName(reason.service)}`;
  }
  return reason.terms.length
    ? `Similar cause: ${reason.terms.join(', ')}`
    : 'Similar cause';
}

import {
  actionItemSchema,
  incidentSchema,
  incidentSummarySchema,
  pageSchema,
  postmortemSchema,
  type ActionItem,
  type Incident,
  type Page,
  type Postmortem,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { z } from 'zod';
import { createDemoData } from './demoData';

/*
 * Response bodies for msw handlers. Everything here goes through the common
 * response schemas, so a fixture that stops matching the contract fails the
 * test that reads it instead of quietly testing a shape the backend never
 * sends.
 */

/** The demo incidents and post-mortems, as the backend would answer them. */
export function demoFixtures() {
  const demo = createDemoData();
  const incidents = demo.incidents.map(i => incidentSchema.parse(i));
  const postmortems = (demo.postmortems ?? []).map(p =>
    postmortemSchema.parse(p),
  );
  const incident = (reference: string): Incident => {
    const found = incidents.find(i => i.reference === reference);
    if (!found) throw new Error(`No demo incident ${reference}`);
    return found;
  };
  const postmortem = (reference: string): Postmortem => {
    const { id } = incident(reference);
    const found = postmortems.find(p => p.incident_id === id);
    if (!found) throw new Error(`No demo post-mortem for ${reference}`);
    return found;
  };
  return {
    incidents,
    postmortems,
    incident,
    postmortem,
    /** A post-mortem as `GET /v1/postmortems` lists it: with its incident in brief. */
    listedPostmortem(reference: string): Postmortem {
      return postmortemSchema.parse({
        ...postmortem(reference),
        incident: incidentSummarySchema.parse(incident(reference)),
      });
    },
  };
}

function pageOf<T extends z.ZodType>(
  schema: T,
  data: unknown[],
  options: { page?: number; limit?: number; total?: number } = {},
): Page<z.output<T>> {
  return pageSchema(schema).parse({
    data,
    page: options.page ?? 1,
    limit: options.limit ?? 20,
    total: options.total ?? data.length,
  }) as Page<z.output<T>>;
}

/** A page of `GET /v1/postmortems`. */
export const postmortemPage = (
  data: Postmortem[],
  options?: { page?: number; limit?: number; total?: number },
) => pageOf(postmortemSchema, data, options);

/** A page of `GET /v1/action-items`. */
export const actionItemPage = (
  data: ActionItem[],
  options?: { page?: number; limit?: number; total?: number },
) => pageOf(actionItemSchema, data, options);

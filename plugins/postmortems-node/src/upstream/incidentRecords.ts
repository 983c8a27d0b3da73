import {
  ChatThreadRef,
  IncidentSeverity,
  IncidentStatus,
  TimelineEntryType,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/** What it takes to record a new incident. */
/** @public */
export interface NewIncident {
  number?: number;
  title: string;
  description?: string | null;
  severity: IncidentSeverity;
  status: IncidentStatus;
  summary?: string | null;
  commander?: string | null;
  services?: string[];
  chat?: ChatThreadRef | null;
  source?: string;
  externalId?: string | null;
  triggeredAt: string;
  acknowledgedAt?: string | null;
  resolvedAt?: string | null;
  canceledAt?: string | null;
  createdBy?: string | null;
}

/** The columns an incident update may change. */
/** @public */
export interface IncidentChanges {
  title?: string;
  description?: string | null;
  severity?: IncidentSeverity;
  status?: IncidentStatus;
  summary?: string | null;
  commander?: string | null;
  services?: string[];
  chat?: ChatThreadRef | null;
  acknowledgedAt?: string | null;
  resolvedAt?: string | null;
  canceledAt?: string | null;
}

/** @public */
export interface NewTimelineEntry {
  type: TimelineEntryType;
  /** The entry's id in the upstream it was copied from (e.g. Regen). */
  externalId?: string;
  actor?: string | null;
  timestamp: string;
  content: Record<string, unknown>;
}

/** @public */
export interface NewAlert {
  source: string;
  externalId?: string | null;
  severity: IncidentSeverity;
  title: string;
  description?: string | null;
  labels?: Record<string, string>;
  firedAt: string;
  acknowledgedAt?: string | null;
  resolvedAt?: string | null;
}

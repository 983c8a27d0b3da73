import type { Incident } from '@postmortems-oss/backstage-plugin-postmortems-common';

/** "2d 4h", "1h 23m", "45m", "30s": how long something lasted, for people. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '—';
  }
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  }
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}d ${hours % 24}h` : `${days}d`;
}

/** The times a duration is read from; lists carry no cancel time. */
type IncidentTimes = Pick<Incident, 'triggered_at' | 'resolved_at'> & {
  canceled_at?: string | null;
};

/** Time from trigger to resolution, or undefined while the incident is open. */
export function incidentDurationMs(
  incident: IncidentTimes,
): number | undefined {
  const end = incident.resolved_at ?? incident.canceled_at;
  if (!end) return undefined;
  return Date.parse(end) - Date.parse(incident.triggered_at);
}

/** The duration of an incident in words, "ongoing" while it is open. */
export function incidentDuration(incident: IncidentTimes): string {
  const ms = incidentDurationMs(incident);
  return ms === undefined ? 'ongoing' : formatDuration(ms);
}

/** A date and time in the reader's locale, e.g. "12 Mar 2025, 14:05". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A calendar date in the reader's locale. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}

/** Today as `YYYY-MM-DD` in the reader's time zone. */
export function todayIso(now: Date = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

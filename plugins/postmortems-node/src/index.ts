/**
 * Extension points and the interfaces behind them, for backend modules that
 * add integrations to Post-Mortems for Backstage: draft providers (models),
 * chat-thread sources, export targets, issue trackers and incident upstreams.
 *
 * @packageDocumentation
 */

export * from './extensions';
export * from './generation/DraftProvider';
export * from './generation/evidence';
export * from './chat/ChatThreadSource';
export * from './exports/PageTarget';
export * from './exports/FileExportFormat';
export * from './exports/markdownDocument';
export * from './remote/remoteCalls';
export * from './remote/retry';
export * from './trackers/TrackerClient';
export * from './trackers/issueContent';
export * from './trackers/signatures';
export * from './permissions';
export * from './errors';
export * from './upstream/incidentRecords';
export * from './upstream/IncidentUpstream';
export * from './schedule';

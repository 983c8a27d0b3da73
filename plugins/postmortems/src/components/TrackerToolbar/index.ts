export { TrackerToolbar } from './TrackerToolbar';
export type { TrackerToolbarProps } from './TrackerToolbar';
export { describeSync, TrackerSyncReport } from './TrackerSyncReport';
export type { TrackerSyncReportProps } from './TrackerSyncReport';

export { NewerVersionNotice } from './NewerVersionNotice';
export type { NewerVersionNoticeProps } from './NewerVersionNotice';

export { RecurrenceNotice } from './RecurrenceNotice';

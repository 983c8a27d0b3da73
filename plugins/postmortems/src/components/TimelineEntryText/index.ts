export { TimelineEntryText } from './TimelineEntryText';

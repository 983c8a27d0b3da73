export { CuratedTimeline } from './CuratedTimeline';

export { PublishControls } from './PublishControls';

export { PostmortemComments } from './PostmortemComments';

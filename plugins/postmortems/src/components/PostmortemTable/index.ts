export { PostmortemTable } from './PostmortemTable';

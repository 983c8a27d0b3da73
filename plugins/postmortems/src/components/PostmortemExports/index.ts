export { PostmortemExports } from './PostmortemExports';

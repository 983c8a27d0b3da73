export {
  postmortemsPlugin,
  PostmortemsPage,
  EntityPostmortemsContent,
} from './plugin';
export * from './api';

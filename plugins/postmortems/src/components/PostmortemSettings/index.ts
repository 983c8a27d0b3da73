export {
  PostmortemSettings,
  TemplatesCard,
  ProviderCard,
} from './PostmortemSettings';

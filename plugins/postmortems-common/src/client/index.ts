export * from './PostmortemsServiceClient';

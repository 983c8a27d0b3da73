export * from './PostmortemsApi';
export * from './PostmortemsClient';
export * from './errors';

export * from './PostmortemsApi';
export * from './PostmortemsClient';

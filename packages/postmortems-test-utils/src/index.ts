/**
 * Test helpers shared by the post-mortems backend packages.
 *
 * @packageDocumentation
 */
export * from './testDatabases';
export * from './testBackend';
export * from './testApi';
export * from './moduleBackend';
export * from './fixtures';
export * from './multiScript';
export * from './fakeServers';
export * from './fakeOpenAICompatible';
export * from './fakeFaults';
export * from './fakeService';
export * from './fakeConfluence';
export * from './fakeNotion';
export * from './fakeGitHub';
export * from './fakeJira';
export * from './fakeRegen';
export * from './fakeSlack';
export * from './destinationFakes';

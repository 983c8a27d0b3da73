import '@testing-library/jest-dom';

// Rendering the MUI tables of a whole tab takes a few seconds on a busy
// 2-core machine; the 5 s default made correct tests fail under load.
jest.setTimeout(30_000);

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render, screen } from '@testing-library/react';
import { parse } from 'yaml';
import App from './App';

describe('App', () => {
  it('starts on the guest sign-in page', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // The app plugin's default sign-in page offers the guest provider only.
    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
  });

  // The build discovers features from app.packages and this package's
  // dependencies: a frontend plugin with an ./alpha export whose default
  // export is a plugin. These are the facts that make Post-Mortems appear
  // without a line of app code.
  it('discovers the Post-Mortems plugin through app.packages', async () => {
    const appConfig = parse(
      readFileSync(resolve(__dirname, '../../../app-config.yaml'), 'utf8'),
    );
    expect(appConfig.app.packages).toBe('all');

    const appPackage = JSON.parse(
      readFileSync(resolve(__dirname, '../package.json'), 'utf8'),
    );
    const pluginName = '@postmortems-oss/backstage-plugin-postmortems';
    expect(Object.keys(appPackage.dependencies)).toContain(pluginName);

    const pluginPackage = require(`${pluginName}/package.json`);
    expect(pluginPackage.backstage.role).toBe('frontend-plugin');
    expect(Object.keys(pluginPackage.exports)).toContain('./alpha');

    const { default: feature } = await import(`${pluginName}/alpha`);
    expect(feature.$$type).toBe('@backstage/FrontendPlugin');
    expect(feature.id).toBe('postmortems');
  });
});

import { request as playwrightRequest } from '@playwright/test';
import { expect, test } from './fixtures/test.js';

test('refuses requests without the token', async ({ vssl }) => {
  const anonymous = await playwrightRequest.newContext();
  try {
    await test.step('API call from a context without the cookie', async () => {
      const response = await anonymous.post(`${vssl.origin}/api/app:info`, { data: {} });
      expect(response.status()).toBe(401);
    });
    await test.step('the page, media and events are refused too', async () => {
      expect((await anonymous.get(`${vssl.origin}/`)).status()).toBe(401);
      expect((await anonymous.get(`${vssl.origin}/media/1/video`)).status()).toBe(401);
    });
    await test.step('a wrong token is refused', async () => {
      const response = await anonymous.post(`${vssl.origin}/api/app:info`, {
        data: {},
        headers: { Authorization: 'Bearer not-the-token' },
      });
      expect(response.status()).toBe(401);
    });
  } finally {
    await anonymous.dispose();
  }
});

test('a page without the token says how to get in', async ({ browser, vssl }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(vssl.origin);
    expect(response?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('token');
  } finally {
    await context.close();
  }
});

test('refuses media that is not a registered video', async ({ app, vssl, workDir }) => {
  await app.start.createProject(`${workDir}/project`);
  await test.step('with the session cookie, an unregistered id is still refused', async () => {
    const response = await app.page.request.get(`${vssl.origin}/media/999/video`);
    expect(response.status()).toBe(404);
  });
  await test.step('paths are never accepted in place of ids', async () => {
    for (const target of ['/media/..%2F..%2Fetc%2Fpasswd/video', '/media/1/../../../etc/passwd', '/media/%2Fetc%2Fpasswd']) {
      const response = await app.page.request.get(`${vssl.origin}${target}`);
      expect(response.status(), target).toBeGreaterThanOrEqual(400);
      expect(await response.text(), target).not.toContain('root:');
    }
  });
});

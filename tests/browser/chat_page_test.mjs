// The sandbox chat page in a real browser, end to end: the real bot on a fresh database with the demo
// data, the sandbox serving the page, and Debian's chromium clicking through it as a person would.
// A customer reserves a deal and sees the pickup code; the business owner sees the reservation
// arrive without reloading, opens the list and confirms the pickup with the code. Each step leaves a
// screenshot under $LASTCALL_TEST_OUTPUT/browser/.
//
// Usage: node chat_page_test.mjs [path/to/lastcall]
// Needs PG_ADMIN_URL (scripts/lib.sh pg_start exports it) and `npm ci` in this folder.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

const STEP_TIMEOUT_MS = 30000; // generous: a step waits this long for the bot, it never times it
const CUSTOMER = '42';
const OWNER = '700';
const ADMIN = '1000';
const TOKEN = 'sandbox:browser-test-token';

const binary = process.argv[2] || process.env.LASTCALL_BINARY;
const adminUrl = process.env.PG_ADMIN_URL;
const outputDir = path.join(process.env.LASTCALL_TEST_OUTPUT || path.join(os.tmpdir(), 'lastcall-test-output'), 'browser');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function fail(message) {
  throw new Error(message);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function eventually(what, condition, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (_) {
      // not ready yet
    }
    if (Date.now() > deadline) fail(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// ---- A database of its own, on the server scripts/test started

function psql(sql) {
  execFileSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function databaseUrl(name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---- The processes

class processes {
  constructor() {
    this.running = [];
  }

  start(name, args, env) {
    const log = fs.openSync(path.join(outputDir, `${name}.log`), 'w');
    const child = spawn(binary, args, { env, stdio: ['ignore', log, log] });
    child.exitCode_ = null;
    child.on('exit', (code, signal) => {
      child.exitCode_ = code === null ? signal : code;
    });
    this.running.push({ name, child });
    return child;
  }

  run(name, args, env) {
    execFileSync(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    return name;
  }

  async stopAll() {
    for (const { child } of this.running.reverse()) {
      if (child.exitCode_ !== null) continue;
      child.kill('SIGTERM');
      const deadline = Date.now() + 15000;
      while (child.exitCode_ === null && Date.now() < deadline) await sleep(50);
      if (child.exitCode_ === null) child.kill('SIGKILL');
    }
  }
}

async function json(url) {
  const response = await fetch(url);
  return response.json();
}

// ---- Reading the page

function botMessages(page) {
  return page.locator('.message-row.from-bot');
}

async function lastBotMessage(page, text) {
  const message = botMessages(page).filter({ hasText: text }).last();
  await message.waitFor({ timeout: STEP_TIMEOUT_MS });
  return message;
}

async function screenshot(page, name) {
  // Toasts and edits settle first, so the picture shows what the step produced.
  await sleep(300);
  await page.screenshot({ path: path.join(outputDir, `${name}.png`) });
  console.log(`  screenshot ${name}.png`);
}

async function step(name, body) {
  console.log(`step: ${name}`);
  await body();
}

// ---- The test

async function main() {
  if (!binary || !fs.existsSync(binary)) fail('give the lastcall binary as the first argument or in LASTCALL_BINARY');
  if (!adminUrl) fail('PG_ADMIN_URL is not set (scripts/test starts PostgreSQL and sets it)');
  if (!fs.existsSync(chromiumPath)) fail(`no chromium at ${chromiumPath} (scripts/lib.sh ensure_packages installs it)`);
  fs.mkdirSync(outputDir, { recursive: true });

  const database = `lastcall_browser_${process.pid}_${Date.now()}`;
  const procs = new processes();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lastcall-chromium-'));
  let context = null;
  let page = null;
  psql(`CREATE DATABASE ${database}`);
  try {
    const sandboxPort = await freePort();
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME || os.tmpdir(),
      DATABASE_URL: databaseUrl(database),
      ADMIN_IDS: ADMIN,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_URL: sandboxUrl,
      POLL_TIMEOUT_SECONDS: '2',
      WORKER_THREADS: '2',
      LOG_LEVEL: 'info',
    };

    procs.run('migrate', ['migrate'], env);
    procs.run('demo-seed', ['demo-seed'], env);
    procs.start('sandbox', ['sandbox', '--port', String(sandboxPort), '--token', TOKEN], env);
    await eventually('the sandbox', async () => (await json(`${sandboxUrl}/driver/health`)).ok);
    procs.start('bot', ['serve'], env);
    await eventually('the bot to poll the sandbox', async () => {
      const stats = await json(`${sandboxUrl}/driver/stats`);
      return (stats.calls.getUpdates || 0) > 0;
    });

    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1100, height: 760 },
      // Far from the bot's TIME_ZONE (+05:00 by default), so the page must not show the browser's clock.
      timezoneId: 'America/New_York',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(`${sandboxUrl}/`);

    let code = '';

    await step('the customer starts the bot', async () => {
      await page.locator(`.persona[data-persona-id="${CUSTOMER}"]`).click();
      await page.getByRole('button', { name: 'START' }).click();
      const greeting = await lastBotMessage(page, 'lastcall finds surplus food');
      await page.locator('#reply-keyboard button', { hasText: 'Browse' }).waitFor();
      // The time beside the message is the bot's clock, as its texts speak of times.
      const chat = await json(`${sandboxUrl}/driver/chat/${CUSTOMER}`);
      const sent = chat.messages.filter((m) => m.from_bot && m.text.includes('lastcall finds')).pop();
      const botClock = new Date((sent.date + 5 * 3600) * 1000).toISOString().slice(11, 16);
      const shown = await greeting.locator('.message-meta').textContent();
      if (!shown.includes(botClock)) fail(`the greeting shows ${shown}, the bot's clock says ${botClock}`);
      await screenshot(page, '01-customer-starts');
    });

    await step('the customer browses and opens a deal', async () => {
      await page.locator('#reply-keyboard button', { hasText: 'Browse' }).click();
      const list = await lastBotMessage(page, 'Deals available now');
      await list.locator('.inline-button', { hasText: 'Croissant box' }).click();
      const card = await lastBotMessage(page, 'Left: 8');
      await card.locator('.inline-button', { hasText: 'Reserve 1' }).waitFor();
      await screenshot(page, '02-customer-opens-deal');
    });

    await step('the customer reserves and sees the pickup code', async () => {
      const card = await lastBotMessage(page, 'Left: 8');
      await card.locator('.inline-button', { hasText: 'Reserve 1' }).click();
      const popup = page.locator('#toast');
      await popup.filter({ hasText: 'Your pickup code is' }).waitFor();
      const popupCode = /code is ([A-Z0-9]+)/.exec(await popup.textContent());
      if (!popupCode) fail('the popup shows no pickup code');
      code = popupCode[1];
      const confirmation = await lastBotMessage(page, `Pickup code: ${code}`);
      if (!(await confirmation.textContent()).includes('Croissant box')) fail('the confirmation does not name the deal');
      // The card is redrawn in place with what is left.
      await lastBotMessage(page, 'Left: 7');
      await screenshot(page, '03-customer-reserved');
    });

    await step('Directions shows the business on a map card', async () => {
      const confirmation = await lastBotMessage(page, `Pickup code: ${code}`);
      await confirmation.locator('.inline-button', { hasText: 'Directions' }).click();
      const place = await lastBotMessage(page, 'Market Street 1');
      await place.locator('.location-card', { hasText: 'Sunrise Bakery' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await screenshot(page, '04-customer-directions');
    });

    await step('the business owner hears of it without reloading', async () => {
      const owner = page.locator(`.persona[data-persona-id="${OWNER}"]`);
      await owner.locator('.badge').waitFor();
      await owner.click();
      const notice = await lastBotMessage(page, 'New reservations for “Croissant box”: 1 (1 pcs). Left: 7.');
      await notice.locator('.inline-button', { hasText: 'Reservations' }).click();
      await lastBotMessage(page, '1 pcs · waiting for pickup');
      await screenshot(page, '05-business-sees-reservation');
    });

    await step('the business owner confirms the pickup with the code', async () => {
      await page.locator('#text-input').fill(`/collect ${code}`);
      await page.locator('#text-input').press('Enter');
      await page.locator('.message-row.from-user', { hasText: `/collect ${code}` }).waitFor();
      await lastBotMessage(page, 'Handed over: 1 × Croissant box');
      await screenshot(page, '06-business-confirms-pickup');
    });

    console.log('chat page: 1 passed, 0 failed');
  } catch (error) {
    if (page) await page.screenshot({ path: path.join(outputDir, 'failure.png') }).catch(() => {});
    console.error(`chat page test failed: ${error.message}`);
    console.error(`logs and screenshots: ${outputDir}`);
    console.log('chat page: 0 passed, 1 failed');
    process.exitCode = 1;
  } finally {
    if (context) await context.close().catch(() => {});
    await procs.stopAll();
    fs.rmSync(userDataDir, { recursive: true, force: true });
    try {
      psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } catch (_) {
      // the server is going away with scripts/test anyway
    }
  }
}

await main();

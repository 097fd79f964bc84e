#!/usr/bin/env node
// Posts or updates one sticky pull-request comment with the cost diff (used by action.yml).
// Usage: node action/comment.mjs FILE.md
// Reads GITHUB_EVENT_PATH (the pull request's number), GITHUB_REPOSITORY, GITHUB_TOKEN and
// GITHUB_API_URL, all set by the Actions runner. The comment is found again by the marker the Markdown
// starts with, so each run edits the same comment instead of adding one.
import * as fs from 'fs';

const MARKER = '<!-- prompt-cost-diff -->';

function fail(message) {
  process.stderr.write(`prompt-cost comment: ${message}\n`);
  process.exit(1);
}

const [file] = process.argv.slice(2);
if (!file) fail('usage: node action/comment.mjs FILE.md');
const body = fs.readFileSync(file, 'utf8');
if (!body.includes(MARKER)) fail(`${file} has no ${MARKER} marker: it is not prompt-cost diff Markdown`);
const { GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_TOKEN } = process.env;
const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
if (!GITHUB_EVENT_PATH || !GITHUB_REPOSITORY) fail('GITHUB_EVENT_PATH and GITHUB_REPOSITORY must be set (run inside GitHub Actions)');
if (!GITHUB_TOKEN) fail('GITHUB_TOKEN is not set: pass `github-token` to the action (needs pull-requests: write)');
const event = JSON.parse(fs.readFileSync(GITHUB_EVENT_PATH, 'utf8'));
const number = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
if (!number) {
  process.stdout.write('prompt-cost comment: not a pull request event; no comment posted\n');
  process.exit(0);
}

async function call(method, path, payload) {
  let res;
  try {
    res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${GITHUB_TOKEN}`, accept: 'application/vnd.github+json', 'content-type': 'application/json', 'user-agent': 'prompt-cost-action' },
      body: payload ? JSON.stringify(payload) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    fail(`${method} ${path} failed: ${e.cause?.message ?? e.message}`);
  }
  if (!res.ok) {
    const hint = res.status === 403 || res.status === 404 ? ' (the token needs `pull-requests: write`; forks get a read-only token)' : '';
    fail(`${method} ${path} answered ${res.status} ${res.statusText}${hint}`);
  }
  return res.json();
}

const base = `/repos/${GITHUB_REPOSITORY}/issues`;
let existing;
for (let page = 1; page <= 20 && !existing; page++) {
  const comments = await call('GET', `${base}/${number}/comments?per_page=100&page=${page}`);
  existing = comments.find((c) => typeof c.body === 'string' && c.body.includes(MARKER));
  if (comments.length < 100) break;
}
if (existing) {
  await call('PATCH', `${base}/comments/${existing.id}`, { body });
  process.stdout.write(`prompt-cost comment: updated comment ${existing.id} on #${number}\n`);
} else {
  const created = await call('POST', `${base}/${number}/comments`, { body });
  process.stdout.write(`prompt-cost comment: posted comment ${created.id} on #${number}\n`);
}

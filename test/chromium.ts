import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

// Debian's Chromium: no browser can be downloaded here. The flags keep it off the network it cannot reach.
export const CHROMIUM = '/usr/bin/chromium'

export const missingChromium =
  `Chromium is not installed at ${CHROMIUM}, so the browser and accessibility tests cannot run. ` +
  'Install it with: apt-get update && apt-get install -y chromium (.ci/run does this).'

export function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), missingChromium)
  return chromium.launch({
    executablePath: CHROMIUM,
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
  })
}

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import { Random } from '../../domain/random'
import { type Seeded, seedPeople, seedSessions } from '../../../test/support/statisticsFixtures'
import { setClock } from '../../domain/clock'
import { csvField, csvLine, formatChange, formatValue, weekLabel, weeklyChartSvg } from './present'
import { readQuery } from './schema'

const CUSTOM = {
  period: 'custom',
  'from-day': '1',
  'from-month': '1',
  'from-year': '2026',
  'to-day': '30',
  'to-month': '6',
  'to-year': '2026',
}
const qs = (extra: Record<string, string> = {}) => new URLSearchParams({ ...CUSTOM, ...extra }).toString()

describe('statistics pages', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let so: Browser
  let mdi: Seeded
  before(async () => {
    world = await testWorld()
    const rng = new Random(3)
    mdi = await seedPeople(world.services.db.db, world.est.MDI!, rng, 25)
    await seedSessions(world.services, rng, mdi, 80)
    const lei = await seedPeople(world.services.db.db, world.est.LEI!, rng, 10)
    await seedSessions(world.services, rng, lei, 30)
    so = await signedIn(world, 'supervising_officer.mdi')
  })
  after(() => world.close())

  const period = { from: '2026-01-01', to: '2026-06-30' }

  it('shows the figures with the previous period, the change, a chart with title and description, and its table', async () => {
    const res = await so.get(`/statistics?${qs()}`)
    assert.equal(res.status, 200)
    const expected = await world.services.statistics.compare(
      { kind: 'establishment', establishmentId: mdi.establishmentId },
      period,
    )
    assert.ok(expected.current.figures.delivered > 0)
    const row = (key: string) => new RegExp(`data-measure="${key}"[\\s\\S]*?</tr>`).exec(res.text)?.[0] ?? ''
    const delivered = row('delivered')
    assert.match(delivered, new RegExp(`>${formatValue(expected.current.figures.delivered, 'count')}<`))
    assert.match(delivered, new RegExp(`>${formatValue(expected.previous.figures.delivered, 'count')}<`))
    const compliance = row('compliance')
    assert.match(compliance, new RegExp(formatValue(expected.current.figures.compliance, 'percent')))
    assert.match(res.text, /1 January 2026 to 30 June 2026/)
    assert.match(res.text, /Compared with the previous 181 days \(4 July 2025 to 31 December 2025\)/)
    // the chart: accessible SVG, and the same numbers in a table
    assert.match(res.text, /<svg[^>]*role="img"[^>]*aria-labelledby="weekly-chart-title weekly-chart-desc"/)
    assert.match(res.text, /<title id="weekly-chart-title">Sessions delivered and projected each week/)
    assert.match(res.text, /<desc id="weekly-chart-desc">26 weeks from 1 January 2026/)
    const table = /<table class="govuk-table" id="weekly-table">[\s\S]*?<\/table>/.exec(res.text)?.[0] ?? ''
    assert.equal((table.match(/<tr class="govuk-table__row">/g) ?? []).length, 1 + 26)
    assert.equal((res.text.match(/<rect [^>]*fill="#1d70b8"\/>/g) ?? []).length, 26 + 1)
    assert.doesNotMatch(res.text, /All establishments/, 'only the national team may count all establishments')
  })

  it('counts a houseblock and a Key Worker', async () => {
    const unitId = mdi.unitIds[0]!
    const res = await so.get(`/statistics?${qs({ scope: `houseblock-${unitId}` })}`)
    assert.equal(res.status, 200)
    const f = await world.services.statistics.compute(
      { kind: 'houseblock', establishmentId: mdi.establishmentId, unitId },
      period,
    )
    assert.match(res.text, /Houseblock: A wing: 1 January 2026/)
    assert.match(/data-measure="delivered"[\s\S]*?<\/tr>/.exec(res.text)![0], new RegExp(`>${f.figures.delivered}<`))
    const officer = await so.get(`/statistics?${qs({ scope: `officer-${mdi.staffIds[1]}` })}`)
    assert.equal(officer.status, 200)
    assert.match(officer.text, /Key Worker: (Officer Number 2|Number 2, Officer)/)
  })

  it('refuses a scope of another establishment or made up, and bad dates, with messages', async () => {
    const other = await world.services.statistics.scopeOptions(world.est.LEI!)
    for (const scope of [
      `officer-${other.officers[0]!.id}`,
      `houseblock-${other.houseblocks[0]!.id}`,
      'national',
      'x'.repeat(500),
    ]) {
      const res = await so.get(`/statistics?${qs({ scope })}`)
      assert.equal(res.status, 200)
      assert.match(res.text, /Choose a scope from the list/)
      assert.doesNotMatch(res.text, /data-measure=/)
    }
    for (const [fields, message] of [
      [{ 'from-day': '31', 'from-month': '2' }, /The first day must be a real date/],
      [{ 'to-year': '2099' }, /The last day must be today or in the past/],
      [
        { 'from-year': '2027', 'to-year': '2026' },
        /The first day must be on or before the last day|today or in the past/,
      ],
      [{ 'from-year': '2020' }, /up to 3 years long/],
      [{ 'from-day': '', 'from-month': '', 'from-year': '' }, /Enter the first day/],
      [{ 'from-day': '1e3' }, /must be a real date/],
    ] as const) {
      const res = await so.get(`/statistics?${qs(fields)}`)
      assert.equal(res.status, 200)
      assert.match(res.text, message)
      assert.match(res.text, /govuk-error-summary/)
    }
    const csv = await so.get(`/statistics.csv?${qs({ 'from-day': '99' })}`)
    assert.equal(csv.status, 400)
  })

  it('the form: a labelled scope, the button after every input, every date error at once, brief week labels', async () => {
    setClock('2026-07-01T12:00:00.000Z')
    try {
      const res = await so.get(`/statistics?${qs()}`)
      assert.match(res.text, /<label class="govuk-label govuk-label--s" for="scope">\s*Scope\s*<\/label>/)
      const button = res.text.indexOf('Show statistics')
      for (const id of ['id="scope"', 'id="period"', 'id="from-day"', 'id="to-year"'])
        assert.ok(res.text.indexOf(id) > 0 && res.text.indexOf(id) < button, `${id} comes before the button`)
      // 1 January to 30 June: 25 weeks and a last week of 6 days
      const table = /<table class="govuk-table" id="weekly-table">[\s\S]*?<\/table>/.exec(res.text)?.[0] ?? ''
      assert.match(table, />w\/c 1 Jan</)
      assert.match(table, />w\/c 18 Jun</)
      assert.match(table, />w\/c 25 Jun, to 30 Jun</)
      assert.doesNotMatch(table, /January 2026 to/)

      const summary = (text: string) =>
        /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(text)?.[0] ?? 'no error summary'
      // a bad first day and a bad last day: both listed, each linked to its field
      const both = await so.get(`/statistics?${qs({ 'from-day': '31', 'from-month': '2', 'to-day': '99' })}`)
      assert.match(summary(both.text), /href="#from-day">The first day must be a real date/)
      assert.match(summary(both.text), /href="#to-day">The last day must be a real date/)
      // a first day in the future and no last day: both listed
      const future = await so.get(
        `/statistics?${qs({ 'from-day': '3', 'from-month': '7', 'from-year': '2026', 'to-day': '', 'to-month': '', 'to-year': '' })}`,
      )
      assert.match(summary(future.text), /href="#from-day">The first day must be today or in the past/)
      assert.match(summary(future.text), /href="#to-day">Enter the last day/)
      // a last day in the future and a first day after it: both
      const order = await so.get(
        `/statistics?${qs({ 'from-day': '5', 'from-month': '7', 'to-day': '4', 'to-month': '7' })}`,
      )
      assert.match(summary(order.text), /href="#to-day">The last day must be today or in the past/)
      assert.match(summary(order.text), /href="#from-day">The first day must be today or in the past/)
      // and a bad scope with them
      const scope = await so.get(`/statistics?${qs({ 'from-day': '31', 'from-month': '2', scope: 'nonsense' })}`)
      assert.match(summary(scope.text), /The first day must be a real date[\s\S]*Choose a scope from the list/)
    } finally {
      setClock(null)
    }
  })

  it('the presets need no dates', async () => {
    for (const p of ['4w', 'quarter', '12m', 'nonsense']) {
      const res = await so.get(`/statistics?period=${p}`)
      assert.equal(res.status, 200)
      assert.match(res.text, /data-measure="compliance"/)
    }
    const q = await so.get('/statistics?period[]=x&scope[]=y')
    assert.equal(q.status, 200)
  })

  it('downloads the same figures as CSV', async () => {
    const res = await so.get(`/statistics.csv?${qs()}`)
    assert.equal(res.status, 200)
    assert.match(res.headers['content-type']!, /^text\/csv/)
    assert.match(
      res.headers['content-disposition']!,
      /attachment; filename="key-work-statistics-mdi-2026-01-01-to-2026-06-30.csv"/,
    )
    const lines = res.text.trimEnd().split('\r\n')
    assert.equal(
      lines[0],
      'measure,scope,from,to,value,previous_from,previous_to,previous_value,moj_value,previous_moj_value',
    )
    const expected = await world.services.statistics.compare(
      { kind: 'establishment', establishmentId: mdi.establishmentId },
      period,
    )
    const delivered = lines.find(l => l.startsWith('Sessions delivered,'))!
    assert.equal(
      delivered,
      `Sessions delivered,Moorland (HMP),2026-01-01,2026-06-30,${expected.current.figures.delivered},2025-07-04,2025-12-31,${expected.previous.figures.delivered},${expected.current.figures.delivered},${expected.previous.figures.delivered}`,
    )
    assert.ok(
      lines.some(
        l =>
          l.startsWith('"Compliance (delivered ÷ projected)"') || l.startsWith('Compliance (delivered ÷ projected),'),
      ),
    )
  })

  it('the national team can count all establishments, with a table of each', async () => {
    const national = await signedIn(world, 'national')
    const res = await national.get(`/statistics?${qs({ scope: 'national' })}`)
    assert.equal(res.status, 200)
    const f = await world.services.statistics.compute({ kind: 'national' }, period)
    assert.match(/data-measure="delivered"[\s\S]*?<\/tr>/.exec(res.text)![0], new RegExp(`>${f.figures.delivered}<`))
    assert.match(res.text, /id="establishments-table"/)
    assert.match(res.text, /Leeds \(HMP\)/)
    assert.match(res.text, /Moorland \(HMP\)/)
    const csv = await national.get(`/statistics.csv?${qs({ scope: 'national' })}`)
    assert.match(csv.text, /Sessions delivered,Leeds \(HMP\) \(LEI\),2026-01-01/)
  })

  it('admins may see the statistics; Key Workers may not', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    assert.equal((await admin.get('/statistics')).status, 200)
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/statistics')).status, 403)
    assert.equal((await kw.get('/statistics.csv')).status, 403)
    assert.doesNotMatch((await kw.get('/')).text, /href="\/statistics"/)
    assert.match((await so.get('/')).text, /href="\/statistics"/)
  })
})

describe('statistics presentation', () => {
  it('escapes CSV fields and defuses formulas', () => {
    assert.equal(csvField('plain'), 'plain')
    assert.equal(csvField('a,b'), '"a,b"')
    assert.equal(csvField('say "hi"'), '"say ""hi"""')
    assert.equal(csvField('two\nlines'), '"two\nlines"')
    assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)")
    assert.equal(csvField(-3.14159), '-3.1416')
    assert.equal(csvField(null), '')
    assert.equal(csvLine(['a', 1, null]), 'a,1,\r\n')
  })

  it('formats changes in points for percentages', () => {
    assert.equal(formatChange({ kind: 'percent', current: 55.04, previous: 50 }), '+5.0 points')
    assert.equal(formatChange({ kind: 'count', current: 10, previous: 12 }), '−2')
    assert.equal(formatChange({ kind: 'count', current: 10, previous: 10 }), 'No change')
    assert.equal(formatChange({ kind: 'count', current: 10, previous: null }), 'No comparison')
    assert.equal(formatValue(1234.5, 'decimal'), '1,234.5')
    assert.equal(formatValue(null, 'percent'), 'No data')
  })

  it('draws an escaped, labelled SVG', () => {
    const svg = weeklyChartSvg([{ from: '2026-01-01', to: '2026-01-07', delivered: 5, projected: 7 }], {
      id: 'c',
      title: 'A <b> & C',
    })
    assert.match(svg, /<title id="c-title">A &lt;b&gt; &amp; C<\/title>/)
    assert.match(svg, /5 sessions delivered against 7.0 projected/)
  })

  it('labels a week briefly', () => {
    assert.equal(weekLabel({ from: '2026-03-03', to: '2026-03-09' }), 'w/c 3 Mar')
    assert.equal(weekLabel({ from: '2026-12-29', to: '2027-01-04' }), 'w/c 29 Dec')
    assert.equal(weekLabel({ from: '2026-06-25', to: '2026-06-30' }), 'w/c 25 Jun, to 30 Jun')
  })

  it('reads the query', () => {
    assert.deepEqual(readQuery({}, '2026-11-27').period, { from: '2026-10-31', to: '2026-11-27' })
    assert.equal(readQuery({ period: 'custom' }, '2026-11-27').period, null)
  })
})

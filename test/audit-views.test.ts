import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Role } from '../src/domain/roles'
import { routeDefsOf } from '../src/app'
import { Browser } from './harness'
import { PARAM_VALUES, type Seeded, resolvePath, seededWorld, usernameFor } from './fixtures'
import { entryOf, reviewed } from './support/qa'

// Every page that shows a prisoner's personal data leaves a 'view' event in the audit trail, and every refused
// attempt at one (a 403, or a 404 for a record that is not this establishment's) leaves a 'refused' event.

const world = await seededWorld()
after(() => world.close())
const db = world.services.db.db
const own = world.seeded.MDI
const other = world.seeded.LEI

interface Expected {
  /** a role that may open the page (from its access rule) and sees the data there */
  as: Role
  entity: string
  /** the record id the event names; null for a list page */
  entityId: ((s: Seeded) => string) | null
  /** appended to the path, e.g. a search */
  query?: string
}

const pn = (s: Seeded) => s.prisonNumber
const sessionId = (s: Seeded) => String(s.sessionId)
// an entry of MDI's Key Worker reviewed by its Supervising Officer, for the QA review pages (issue 15)
const qaEntryId = await entryOf(world.services, {
  establishmentId: own.establishmentId,
  prisonNumber: own.prisonNumber,
  staffId: own.staffId,
  authorUsername: usernameFor('KEY_WORKER'),
})
const qaReviewId = await reviewed(world.services, {
  establishmentId: own.establishmentId,
  reviewerUsername: usernameFor('SUPERVISING_OFFICER'),
  sessionId: qaEntryId,
})
const qaReview = { entity: 'qa_review', entityId: () => String(qaReviewId), query: `?id=${qaReviewId}` }

/**
 * The GET routes that show a prisoner's personal data, by hand: a new page that shows it must be added here on
 * purpose (and audit its view), or to NO_PERSONAL_DATA with the reason it shows none.
 */
const PERSONAL: Record<string, Expected> = {
  '/prisoners': { as: 'SUPERVISING_OFFICER', entity: 'prisoner_search', entityId: pn, query: '?q=A1111AA' },
  '/prisoners/:prisonNumber': { as: 'KEY_WORKER', entity: 'prisoner', entityId: pn },
  '/prisoners/:prisonNumber/edit': { as: 'ESTABLISHMENT_ADMIN', entity: 'prisoner', entityId: pn },
  '/prisoners/:prisonNumber/sessions/new': { as: 'SUPERVISING_OFFICER', entity: 'prisoner', entityId: pn },
  '/prisoners/:prisonNumber/allocate': { as: 'SUPERVISING_OFFICER', entity: 'prisoner', entityId: pn },
  '/prisoners/:prisonNumber/deallocate': { as: 'ESTABLISHMENT_ADMIN', entity: 'prisoner', entityId: pn },
  '/prisoners/:prisonNumber/timeline': { as: 'KEY_WORKER', entity: 'prisoner', entityId: pn },
  '/prisoners/:prisonNumber/handover': { as: 'KEY_WORKER', entity: 'prisoner', entityId: pn },
  '/prisoners/:prisonNumber/handover/prepare': { as: 'SUPERVISING_OFFICER', entity: 'prisoner', entityId: pn },
  '/prisoners/:prisonNumber/timeline/print': { as: 'SUPERVISING_OFFICER', entity: 'prisoner', entityId: pn },
  '/sessions/drafts': { as: 'KEY_WORKER', entity: 'session_list', entityId: null },
  '/quality/queue': { as: 'SUPERVISING_OFFICER', entity: 'qa_queue', entityId: null },
  '/quality/reviews': { as: 'ESTABLISHMENT_ADMIN', entity: 'qa_review_list', entityId: null },
  '/quality/reviews/new': {
    as: 'SUPERVISING_OFFICER',
    entity: 'key_work_session',
    entityId: sessionId,
    query: `?session=${own.sessionId}`,
  },
  '/quality/review': { as: 'SUPERVISING_OFFICER', ...qaReview },
  '/quality/commend': {
    as: 'SUPERVISING_OFFICER',
    entity: 'key_work_session',
    entityId: () => String(qaEntryId),
    query: `?session=${qaEntryId}`,
  },
  '/my-feedback': { as: 'KEY_WORKER', entity: 'qa_feedback', entityId: null },
  '/my-feedback/review': { as: 'KEY_WORKER', ...qaReview },
  '/sessions/:sessionId': { as: 'ESTABLISHMENT_ADMIN', entity: 'key_work_session', entityId: sessionId },
  '/quality/calibration/:calibrationId': {
    as: 'SUPERVISING_OFFICER',
    entity: 'qa_calibration',
    entityId: s => String(s.calibrationId),
  },
  '/quality/calibration/:calibrationId/entries/:sessionId': {
    as: 'SUPERVISING_OFFICER',
    entity: 'qa_calibration',
    entityId: s => String(s.calibrationId),
  },
  // a draft of the Key Worker's own, started below: the seeded entry is submitted, and its edit page redirects
  '/sessions/:sessionId/edit': { as: 'KEY_WORKER', entity: 'key_work_session', entityId: null },
  '/sessions/:sessionId/amend': { as: 'SUPERVISING_OFFICER', entity: 'key_work_session', entityId: sessionId },
  '/sessions/:sessionId/delete': { as: 'ESTABLISHMENT_ADMIN', entity: 'key_work_session', entityId: sessionId },
  '/referrals': { as: 'SUPERVISING_OFFICER', entity: 'referral_list', entityId: null },
  '/referrals/:referralId': { as: 'KEY_WORKER', entity: 'referral', entityId: s => String(s.referralId) },
  '/caseload': { as: 'KEY_WORKER', entity: 'caseload', entityId: null },
  '/my-sessions': { as: 'KEY_WORKER', entity: 'caseload', entityId: null },
  '/staff/:staffId': { as: 'SUPERVISING_OFFICER', entity: 'caseload', entityId: s => String(s.staffId) },
  '/staff/:staffId/cover': { as: 'ESTABLISHMENT_ADMIN', entity: 'caseload', entityId: s => String(s.staffId) },
  '/allocate': { as: 'SUPERVISING_OFFICER', entity: 'allocation_list', entityId: null },
  '/allocate/preview': { as: 'SUPERVISING_OFFICER', entity: 'allocation_list', entityId: null },
  '/allocate/rebalance': { as: 'ESTABLISHMENT_ADMIN', entity: 'allocation_list', entityId: null },
  '/sessions-due': { as: 'SUPERVISING_OFFICER', entity: 'sessions_due', entityId: null },
  '/hubs/my-bookings': { as: 'KEY_WORKER', entity: 'hub_booking_list', entityId: null },
  '/hubs/bookings/:bookingId/cancel': {
    as: 'KEY_WORKER',
    entity: 'hub_booking',
    entityId: s => String(s.bookingId),
  },
  '/hubs/:hubId': { as: 'SUPERVISING_OFFICER', entity: 'hub', entityId: s => String(s.hubId) },
  '/outbox': { as: 'ESTABLISHMENT_ADMIN', entity: 'outbox_email_list', entityId: null },
  '/outbox/:emailId': { as: 'ESTABLISHMENT_ADMIN', entity: 'outbox_email', entityId: s => String(s.emailId) },
  '/case-notes': { as: 'ESTABLISHMENT_ADMIN', entity: 'case_note_outbox_list', entityId: null },
  '/audit': { as: 'ESTABLISHMENT_ADMIN', entity: 'audit_trail', entityId: null },
  '/good-practice/nominate': {
    as: 'SUPERVISING_OFFICER',
    entity: 'key_work_session',
    entityId: sessionId,
    query: `?session=${own.sessionId}`,
  },
  '/good-practice/nominations': { as: 'NATIONAL_POLICY', entity: 'good_practice_list', entityId: null },
  '/good-practice/nominations/:nominationId': {
    as: 'NATIONAL_POLICY',
    entity: 'good_practice_nomination',
    entityId: s => String(s.nominationId),
  },
  '/quality/flags': { as: 'SUPERVISING_OFFICER', entity: 'integrity_flag_list', entityId: null },
  '/quality/flags/:flagId': { as: 'ESTABLISHMENT_ADMIN', entity: 'integrity_flag', entityId: s => String(s.flagId) },
  // a reflective journal entry, read by a Supervising Officer it was shared with (its writer's own reading is not
  // audited); entries should name no prisoner, but the check only warns, so reading one is treated as personal
  '/journal/:entryId': {
    as: 'SUPERVISING_OFFICER',
    entity: 'reflective_entry',
    entityId: s => String(s.journalEntryId),
  },
  '/journal/shared': { as: 'SUPERVISING_OFFICER', entity: 'reflective_entry_list', entityId: null },
  // a recruitment candidate's personal data (name, email, establishment applied for): the national team only
  '/recruitment/:campaignId/candidates/:candidateId': {
    as: 'NATIONAL_POLICY',
    entity: 'recruitment_candidate',
    entityId: s => PARAM_VALUES.candidateId!(s),
  },
  // a subject access request: everything held about one man, in every establishment (issue 18)
  // the HMPPS syncs and events: prison numbers of the men the events named (issue 18)
  '/hmpps': { as: 'ESTABLISHMENT_ADMIN', entity: 'hmpps_events', entityId: null },
  '/data-protection/subject-access/:prisonNumber': {
    as: 'NATIONAL_POLICY',
    entity: 'subject_access_request',
    entityId: s => s.prisonNumber,
  },
  '/data-protection/subject-access/:prisonNumber/sar.json': {
    as: 'NATIONAL_POLICY',
    entity: 'subject_access_request',
    entityId: s => s.prisonNumber,
  },
  '/data-protection/subject-access/:prisonNumber/sar.pdf': {
    as: 'NATIONAL_POLICY',
    entity: 'subject_access_request',
    entityId: s => s.prisonNumber,
  },
  // the establishment's staff who have not read each bulletin, by name (staff, not prisoners; audited all the same)
  '/bulletins/reach': { as: 'SUPERVISING_OFFICER', entity: 'bulletin_reach', entityId: null },
}

/** The GET routes that show no prisoner's personal data, each with why. */
const NO_PERSONAL_DATA: Record<string, string> = {
  '/': 'counts only',
  '/sign-in': 'public',
  '/sign-in/oidc': 'public: a redirect to the OpenID provider',
  '/sign-in/oidc/callback': 'public: the provider’s answer, then a redirect',
  '/account/password': 'the user’s own password form',
  '/prisoners/new': 'an empty form',
  '/establishments': 'establishments',
  '/establishments/new': 'an empty form',
  '/establishment/settings': 'settings',
  '/national': 'counts only, per establishment',
  '/national.csv': 'counts and rates per establishment, no one person',
  '/national/thresholds': 'national RAG thresholds',
  '/comparison': 'rates of the establishment, its category and the nation, no one person',
  '/national/policy': 'national settings',
  '/national/training-rules': 'national training rules',
  '/establishment/training-rules': 'training rules of the establishment',
  '/units': 'residential units',
  '/units/new': 'an empty form',
  '/units/:unitId/edit': 'a residential unit',
  '/staff': 'staff only',
  '/staff/new': 'an empty form',
  '/staff/:staffId/edit': 'a staff record',
  '/staff/:staffId/key-work-time': 'a staff member’s key work slots',
  '/users': 'user accounts',
  '/users/new': 'an empty form',
  '/users/:userId': 'a user account and its roles',
  '/import': 'an empty form',
  '/import/result': 'the errors of the file the admin just uploaded, not stored data',
  '/hubs': 'hubs and rooms',
  '/hubs/new': 'an empty form',
  '/hubs/book': 'a booking form (rooms and Key Workers)',
  '/hubs/rooms/:roomId/edit': 'a room',
  '/hubs/:hubId/edit': 'a hub',
  '/hubs/:hubId/rooms/new': 'an empty form',
  '/directory': 'services',
  '/directory/check-due': 'services',
  '/directory/services/new': 'an empty form',
  '/directory/services/:serviceId': 'a service',
  '/directory/services/:serviceId/edit': 'a service',
  '/directory/export': 'services',
  '/directory/import': 'an empty form',
  '/directory/import/result': 'the result of the admin’s own upload',
  '/directory/taxonomy-terms': 'taxonomy terms',
  '/directory/api-tokens': 'API tokens: who each is for, and dates; never a token',
  '/api/hsds': 'the API’s version',
  '/api/hsds/openapi.json': 'the API’s description',
  '/api/hsds/services': 'services',
  '/api/hsds/services/:serviceId': 'a service',
  '/api/hsds/organizations': 'organisations providing services',
  '/api/hsds/organizations/:organizationId': 'an organisation and its services',
  '/api/hsds/taxonomies': 'taxonomies',
  '/api/hsds/taxonomies/:taxonomyId': 'a taxonomy',
  '/api/hsds/taxonomy_terms': 'taxonomy terms',
  '/api/hsds/taxonomy_terms/:taxonomyTermId': 'a taxonomy term',
  '/api/hsds/service_at_locations': 'services at their locations',
  '/api/hsds/service_at_locations/:serviceAtLocationId': 'a service at a location',
  '/guidance': 'the guide',
  '/guidance/versions': 'the guide',
  '/guidance/changes': 'the guide',
  '/guidance/edit': 'the guide',
  '/booklet': 'the booklet',
  '/booklet.pdf': 'the booklet',
  '/booklet/introduction': 'the booklet',
  '/worksheets': 'worksheets',
  '/worksheets/new': 'an empty form',
  '/worksheets/:worksheetId': 'a worksheet',
  '/worksheets/:worksheetId.pdf': 'a worksheet',
  '/worksheets/:worksheetId/edit': 'a worksheet',
  '/statistics': 'aggregate figures, by establishment, unit and officer',
  '/statistics.csv': 'the same aggregate figures: no prisoner-level rows',
  '/quality/settings': 'QA settings and the national bounds of the sample',
  '/notices': 'the user’s own notices: one sentence each, never a prisoner’s name or number',
  '/notices/open': 'marks one of the user’s own notices read and redirects to the page it is about',
  '/quality': 'links to the quality pages',
  '/quality/rubric': 'the rubric: criteria and descriptors, no prisoner’s data',
  '/quality/rubric/draft': 'the draft national rubric',
  '/quality/rubric/draft/criterion': 'a criterion of the draft rubric, or an empty form',
  '/quality/rubric/criteria/new': 'an empty form',
  '/quality/rubric/criteria/:criterionId': 'an establishment’s own rubric criterion',
  '/training/programme': 'the national training programme and the establishment’s local modules: no prisoner’s data',
  '/training/programme/versions': 'the versions of the training programme and what each changed',
  '/training/programme/draft': 'the draft national training programme',
  '/training/programme/draft/module': 'a module of the draft training programme, or an empty form',
  '/training/programme/draft/contributor': 'a person who co-created the draft training programme, or an empty form',
  '/training/programme/local/new': 'an empty form',
  '/training/programme/local/:localModuleId': 'an establishment’s local training module',
  '/training/courses': 'training courses: modules, dates, places and counts',
  '/training/courses/new': 'an empty form, with the users who may train',
  // a course's officers are staff, not prisoners; another establishment's course is refused and audited all the same
  '/training/courses/:courseId': 'a training course and the officers (staff) on it: no prisoner’s data',
  '/training/courses/:courseId/register': 'a course’s register of officers (staff): no prisoner’s data',
  '/training/courses/:courseId/complete': 'a course’s outcomes form for its officers (staff): no prisoner’s data',
  '/training/courses/:courseId/cancel': 'a training course and a form for the reason',
  '/training/feedback': 'course ratings by module, and comments without names',
  '/quality/dashboard': 'aggregate quality figures, by establishment, unit and officer',
  '/quality/dashboard.csv': 'the same aggregate figures: no prisoner-level rows',
  '/training/dashboard':
    'aggregate training figures, and Key Workers (staff) short of the CPD target: no prisoner’s data',
  '/training/dashboard.csv': 'aggregate training figures by establishment: no prisoner-level rows',
  '/quality/calibration': 'calibration exercises: titles, counts, who set them up',
  '/quality/calibration/new': 'an empty form and the Supervising Officers who may mark',
  '/quality/supervision': 'Key Workers (staff) and the dates of their supervision',
  // supervision notes are about staff, not prisoners; their views are audited all the same (supervision_list)
  '/quality/supervision/:staffId': 'a Key Worker’s supervision notes: staff, no prisoner’s data',
  '/quality/supervision/:staffId/new': 'an empty form',
  '/quality/supervision/record/:supervisionId/edit': 'a supervision record: staff, no prisoner’s data',
  '/my-supervision': 'the Key Worker’s own supervision notes',
  // training records are about staff, not prisoners; their views are audited all the same (training_record, …)
  '/training': 'the signed-in officer’s own training record and plan, and links',
  '/training/officers': 'officers (staff) and the state of their training: no prisoner’s data',
  '/training/officers/:staffId': 'an officer’s (staff) training record: no prisoner’s data',
  '/training/officers/:staffId/completions/new': 'an empty form, with the officer’s (staff) name',
  '/training/completions/:completionId/void': 'an officer’s (staff) completion and a form for the reason',
  '/training/certificates/:certificateId': 'a certificate (PDF): an officer’s name, a module and a date',
  '/training/import': 'an upload form',
  '/certificates/verify': 'public: a certificate’s name, module and date, to whoever has its code',
  '/api/xapi/statements': 'officers’ (staff) completions, to the establishment’s xAPI token only: no prisoner’s data',
  '/journal': 'the officer’s own journal: titles and dates of their own entries',
  '/journal/new': 'a choice of two forms',
  '/journal/new/gibbs': 'an empty form',
  '/journal/new/short': 'an empty form',
  '/journal/:entryId/edit': 'the officer’s own entry, to change: only its writer opens it',
  '/journal/:entryId/delete': 'the title of the officer’s own entry: only its writer opens it',
  '/recruitment': 'campaigns, and the user’s own assessments by candidate code: no name',
  '/recruitment/new': 'an empty form, with the users who may assess',
  '/recruitment/settings': 'national recruitment settings',
  '/recruitment/:campaignId': 'a campaign: its framework, and candidates by code with their progress; no name',
  '/recruitment/:campaignId/questions/new': 'an empty form',
  '/recruitment/:campaignId/candidates/new': 'an empty form, with the users who may assess',
  '/recruitment/:campaignId/candidates/:candidateId/score': 'a candidate by code only, and the assessor’s own scores',
  '/recruitment/:campaignId/moderation': 'candidates by code and their two scores: no name',
  '/recruitment/:campaignId/results': 'agreement and aggregates of candidates, under small-number protection',
  '/data-protection': 'links to the two data protection pages',
  '/data-protection/subject-access': 'an empty form',
  '/data-protection/retention': 'the national retention rule and counts per establishment of what it would change',
  '/training/assign': 'a form; from a QA review, the officer’s name only (staff), never the prisoner’s',
  // training assigned is about staff, not prisoners; its views are audited all the same (training_assignment_list)
  '/training/assignments': 'modules assigned to Key Workers (staff), with why: no prisoner’s data',
  '/good-practice': 'the national library: names, prison numbers, dates and places removed',
  '/good-practice/:goodPracticeId': 'an item of the library, with names, prison numbers, dates and places removed',
  '/bulletins': 'what the national team published: titles, kinds, dates and who published them',
  '/bulletins/new': 'an empty form',
  '/bulletins/:bulletinId': 'a bulletin of the national team: title, summary and link',
  // good practice and questions (issue 17): an establishment's practice and keywork's figures for it, no prisoner's
  '/good-practice/shared': 'published good practice: what establishments did, and their figures (no person’s data)',
  '/good-practice/submissions': 'titles, establishments and the Supervising Officers who submitted them',
  '/good-practice/submissions/new': 'an empty form',
  '/good-practice/submissions/:submissionId': 'an establishment’s good practice and its figures: no prisoner’s data',
  '/questions': 'questions about key work and their answers: no prisoner’s data',
  '/questions/:questionId': 'a question about key work and a form for its answer',
  '/trials': 'interventions under trial and the establishments adopting them: no person’s data',
  '/trials/new': 'an empty form',
  '/trials/outcomes': 'counts per measure imported from outside keywork, and who imported them',
  '/trials/outcomes/import': 'an upload form',
  '/trials/:trialId': 'a trial report: establishments’ monthly figures and estimates, no person’s data',
  '/trials/:trialId/report.pdf': 'the trial report as a PDF: establishments’ figures, no person’s data',
  '/trials/:trialId/edit': 'a trial’s definition: establishments, dates and measures',
  // the staff survey (issue 17): anonymous by design, so no page names who answered what
  '/survey': 'the survey form or where the user is with it: no one else’s data, and the answers are anonymous',
  '/survey/rounds': 'survey rounds: titles and dates',
  '/survey/rounds/new': 'an empty form with the national questions',
  '/survey/rounds/:roundId': 'anonymous results of groups of at least the national threshold: no person’s data',
  '/survey/settings': 'two national thresholds',
  '/survey/rounds/:roundId/edit': 'a round’s title and statements, to change',
}

/**
 * The API for other services (features/apiV1): its routes take a client's bearer token, never a session, so no role
 * can visit them here. Each audits its calls itself, a prisoner's record read as a 'view' of it, by the client:
 * src/features/apiV1/apiV1.test.ts checks those events.
 */
const CLIENT_TOKEN_API: Record<string, string> = {
  '/api/v1/openapi.json': 'the API’s description',
  '/api/v1/prisoners/:prisonNumber/key-worker':
    'his Key Worker and last session: a view of the prisoner, by the client',
  '/api/v1/prisoners/:prisonNumber/sessions': 'his sessions: a view of the prisoner, by the client',
  '/api/v1/establishments/:establishmentCode/allocations': 'allocations: a view of them, by the client',
  '/api/v1/establishments/:establishmentCode/referrals': 'referrals: a view of them, by the client',
  '/api/v1/establishments/:establishmentCode/statistics': 'figures, no person’s data: a view of them, by the client',
}

/** A route parameter that always names a prisoner's data: such a route cannot be in NO_PERSONAL_DATA. */
const PRISONER_PARAMS = /:(prisonNumber|sessionId|referralId|bookingId|emailId)\b/

const getRoutes = routeDefsOf(world.app)
  .filter(d => d.method === 'get')
  .map(d => d.path)

interface AuditRow {
  id: number
  user_id: number | null
  establishment_id: number | null
  action: string
  entity: string
  entity_id: string | null
  changes: string | null
}

async function headId(): Promise<number> {
  const head = await db
    .selectFrom('audit_events')
    .select(eb => eb.fn.max('id').as('last_id'))
    .executeTakeFirstOrThrow()
  return head.last_id ?? 0
}

async function eventsAfter(id: number): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_events')
    .select(['id', 'user_id', 'establishment_id', 'action', 'entity', 'entity_id', 'changes'])
    .where('id', '>', id)
    .orderBy('id')
    .execute()
}

async function userId(username: string): Promise<number> {
  const u = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()
  return u.id
}

const browsers = new Map<Role, Browser>()
async function as(role: Role): Promise<Browser> {
  let b = browsers.get(role)
  if (!b) {
    b = new Browser(world.app)
    const res = await b.signIn(usernameFor(role))
    assert.equal(res.status, 303)
    assert.notEqual(res.headers.location, '/sign-in', `sign-in as ${usernameFor(role)}`)
    // the national team acts in whichever establishment is active: make it MDI, as the others
    if (role === 'NATIONAL_POLICY')
      assert.equal((await b.post('/establishment/switch', { establishment: 'MDI' }, '/')).status, 303)
    browsers.set(role, b)
  }
  return b
}

/** GETs a path as a role, and returns the response and the audit events it left. */
async function visit(role: Role, path: string) {
  const before = await headId()
  const res = await (await as(role)).get(path).set('Accept', 'text/html')
  return { res, events: await eventsAfter(before) }
}

describe('every GET route is classified: personal data or not', () => {
  it('lists each GET route in exactly one of the two lists', () => {
    const unclassified = getRoutes.filter(p => !(p in PERSONAL) && !(p in NO_PERSONAL_DATA) && !(p in CLIENT_TOKEN_API))
    assert.deepEqual(unclassified, [], 'add these routes to PERSONAL (and audit their view) or to NO_PERSONAL_DATA')
    const both = getRoutes.filter(p => p in PERSONAL && p in NO_PERSONAL_DATA)
    assert.deepEqual(both, [])
    const stale = [...Object.keys(PERSONAL), ...Object.keys(NO_PERSONAL_DATA), ...Object.keys(CLIENT_TOKEN_API)].filter(
      p => !getRoutes.includes(p),
    )
    assert.deepEqual(stale, [], 'these listed routes no longer exist')
  })

  it('never calls a route with a prisoner, session, referral, booking or email id one without personal data', () => {
    assert.deepEqual(
      Object.keys(NO_PERSONAL_DATA).filter(p => PRISONER_PARAMS.test(p)),
      [],
    )
  })

  it('gives each personal-data route a role its access rule allows', () => {
    for (const d of routeDefsOf(world.app).filter(d => d.method === 'get' && d.path in PERSONAL)) {
      const role = PERSONAL[d.path]!.as
      assert.ok(Array.isArray(d.access) && d.access.includes(role), `${d.path}: ${role} may not open it`)
    }
  })
})

describe('a view of personal data is audited', () => {
  let draftId = 0
  before(async () => {
    // the Key Worker's own draft, for its edit page
    const kw = await as('KEY_WORKER')
    const res = await kw.post(
      `/prisoners/${own.prisonNumber}/sessions`,
      {},
      `/prisoners/${own.prisonNumber}/sessions/new`,
    )
    assert.equal(res.status, 303)
    const m = /^\/sessions\/(\d+)\/edit$/.exec(String(res.headers.location))
    assert.ok(m, `starting a draft went to ${res.headers.location}`)
    draftId = Number(m[1])
  })

  for (const [pattern, expected] of Object.entries(PERSONAL)) {
    it(`GET ${pattern} as ${expected.as}: a 'view' of ${expected.entity}`, async () => {
      const path =
        pattern === '/sessions/:sessionId/edit'
          ? `/sessions/${draftId}/edit`
          : resolvePath(pattern, own) + (expected.query ?? '')
      const { res, events } = await visit(expected.as, path)
      assert.equal(res.status, 200, `GET ${path} gave ${res.status} ${res.headers.location ?? ''}`)
      const views = events.filter(e => e.action === 'view')
      assert.equal(views.length, 1, `GET ${path} should leave one view event: ${JSON.stringify(events)}`)
      const [view] = views
      assert.equal(view!.entity, expected.entity)
      assert.equal(view!.user_id, await userId(usernameFor(expected.as)))
      assert.equal(view!.establishment_id, own.establishmentId)
      const id = pattern === '/sessions/:sessionId/edit' ? String(draftId) : expected.entityId?.(own)
      if (id !== undefined) assert.equal(view!.entity_id, id)
    })
  }

  it('names the prisoners a list page showed, and the search term', async () => {
    const { events } = await visit('SUPERVISING_OFFICER', '/prisoners?q=Nowak')
    const [view] = events
    assert.equal(view?.entity_id, 'Nowak')
    assert.deepEqual((JSON.parse(view!.changes!) as { shown: string[] }).shown, ['A1111AA'])
  })

  it('records a Key Worker’s caseload under their staff id', async () => {
    // link the Key Worker's account to the seeded staff member for this test only
    const kw = await userId(usernameFor('KEY_WORKER'))
    const { user_id: was } = await db
      .selectFrom('staff')
      .select('user_id')
      .where('id', '=', own.staffId)
      .executeTakeFirstOrThrow()
    await db.updateTable('staff').set({ user_id: kw }).where('id', '=', own.staffId).execute()
    try {
      const { res, events } = await visit('KEY_WORKER', '/caseload')
      assert.equal(res.status, 200)
      assert.equal(events.length, 1)
      assert.equal(events[0]!.entity, 'caseload')
      assert.equal(events[0]!.entity_id, String(own.staffId))
    } finally {
      await db.updateTable('staff').set({ user_id: was }).where('id', '=', own.staffId).execute()
    }
  })
})

describe('a refused attempt is audited', () => {
  it('a Key Worker opening an admin-only prisoner page (403): refused, with the route and the prison number', async () => {
    const { res, events } = await visit('KEY_WORKER', `/prisoners/${own.prisonNumber}/edit`)
    assert.equal(res.status, 403)
    assert.equal(events.length, 1, JSON.stringify(events))
    const [e] = events
    assert.equal(e!.action, 'refused')
    assert.equal(e!.user_id, await userId(usernameFor('KEY_WORKER')))
    assert.equal(e!.entity, 'prisoner')
    assert.equal(e!.entity_id, 'A1111AA')
    assert.deepEqual(JSON.parse(e!.changes!), {
      method: 'GET',
      route: '/prisoners/:prisonNumber/edit',
      status: 403,
      params: { prisonNumber: 'A1111AA' },
    })
  })

  it('a Key Worker opening the audit trail (403): refused, naming the page', async () => {
    const { res, events } = await visit('KEY_WORKER', '/audit')
    assert.equal(res.status, 403)
    assert.equal(events.length, 1)
    assert.equal(events[0]!.action, 'refused')
    assert.equal(events[0]!.entity, 'page')
    assert.deepEqual(JSON.parse(events[0]!.changes!), { method: 'GET', route: '/audit', status: 403 })
  })

  for (const [pattern, expected] of Object.entries(PERSONAL)) {
    if (!/:\w/.test(pattern)) continue
    // the national team decides every establishment's nominations to the library: viewed, not refused (below)
    if (pattern === '/good-practice/nominations/:nominationId') continue
    // recruitment campaigns are national: the national team reads every candidate, whichever establishment it acts in
    if (pattern.startsWith('/recruitment/')) continue
    // a subject access request is national: the national team reads a man's records in every establishment
    if (pattern.startsWith('/data-protection/')) continue
    it(`GET ${pattern} with another establishment’s record (404): refused`, async () => {
      const path = resolvePath(pattern, other)
      const { res, events } = await visit(expected.as, path)
      assert.equal(res.status, 404, `GET ${path}`)
      const refused = events.filter(e => e.action === 'refused')
      assert.equal(refused.length, 1, JSON.stringify(events))
      assert.equal(events.length, 1, 'and no view')
      const [e] = refused
      assert.equal(e!.user_id, await userId(usernameFor(expected.as)))
      assert.equal(e!.establishment_id, own.establishmentId)
      // recorded against the record the page is about, as its view would be, with the id that was asked for
      assert.equal(e!.entity, expected.entity)
      const [, param] = /:(\w+)/.exec(pattern)!
      assert.equal(e!.entity_id, PARAM_VALUES[param!]!(other))
      const changes = JSON.parse(e!.changes!) as { route: string; status: number }
      assert.equal(changes.route, pattern)
      assert.equal(changes.status, 404)
    })
  }

  it('the national team opening another establishment’s nomination to the library: viewed, not refused', async () => {
    const { res, events } = await visit('NATIONAL_POLICY', `/good-practice/nominations/${other.nominationId}`)
    assert.equal(res.status, 200)
    assert.deepEqual(
      events.map(e => [e.action, e.entity, e.entity_id]),
      [['view', 'good_practice_nomination', String(other.nominationId)]],
    )
  })

  it('a signed-out request leaves nothing: it is sent to sign in', async () => {
    const before = await headId()
    const res = await new Browser(world.app).get(`/prisoners/${other.prisonNumber}`)
    assert.equal(res.status, 303)
    assert.deepEqual(await eventsAfter(before), [])
  })

  it('a refusal that cannot be recorded is still a 404 page, never a 500', async () => {
    // without its chain's head row the audit trail cannot take an event: a new head would number it 1 again
    const heads = await db.selectFrom('audit_chains').selectAll().execute()
    await db.deleteFrom('audit_chains').execute()
    try {
      const res = await (await as('KEY_WORKER')).get(`/prisoners/${other.prisonNumber}`).set('Accept', 'text/html')
      assert.equal(res.status, 404)
      assert.match(res.text, /Page not found/)
    } finally {
      await db.deleteFrom('audit_chains').execute()
      await db.insertInto('audit_chains').values(heads).execute()
    }
  })
})

describe('the audit trail page', () => {
  it('names the new actions and records in words, not their internal names', async () => {
    const admin = await as('ESTABLISHMENT_ADMIN')
    const res = await admin.get('/audit').set('Accept', 'text/html')
    assert.equal(res.status, 200)
    const cells = [...res.text.matchAll(/<td class="govuk-table__cell[^"]*">([^<]*)<\/td>/g)].map(m => m[1]!.trim())
    for (const text of ['Viewed', 'Refused access']) assert.ok(cells.includes(text), `a cell says ${text}`)
    for (const text of ['Prisoner search A1111AA', `Session entry ${own.sessionId}`, 'Caseload', 'Page'])
      assert.ok(
        cells.some(c => c.startsWith(text)),
        `a cell says ${text}`,
      )
    for (const raw of ['view', 'refused', 'prisoner_search', 'key_work_session', 'session_list', 'audit_trail'])
      assert.ok(!cells.some(c => c === raw || c.startsWith(`${raw} `)), `no cell shows the internal name ${raw}`)
  })

  it('leaves the chain whole', async () => {
    const r = await world.services.audit.verify()
    assert.deepEqual(r.problems, [])
    assert.ok(r.ok)
  })
})

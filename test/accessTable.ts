import type { Role } from '../src/domain/roles'

/**
 * Who may use each route, written by hand from the roles in PRODUCT.md, NOT derived from the RouteDefs: the access
 * test checks the code against this table, so changing a route's roles fails until this table is changed too.
 *
 * KW Key Worker · SO Supervising Officer · EA Establishment admin · NP National policy team
 * 'public': anyone, signed in or not · 'signed-in': any signed-in user, whatever their roles
 *
 * The reasoning, row by row where it is not obvious:
 * - Prisoners, staff, hubs, the directory, guidance, worksheets, the booklet and referrals are read by everyone with
 *   a role in the establishment (the national team reads every establishment's).
 * - Only the establishment admin changes the establishment's records (prisoners, units, staff, hubs, rooms, local
 *   booklet part, imports); the national team sets national policy, national guidance and national worksheets, and
 *   may edit an establishment's settings and directory (national services live there too).
 * - Allocation and cover are the Supervising Officer's job; the admin may do it as well. Neither the Key Worker nor
 *   the national team allocates.
 * - Recording a session is for Key Workers and the Supervising Officers who cover them. The admin amends and deletes
 *   entries (with a reason); the national team only reads.
 * - "My caseload" belongs to those who hold one (Key Workers, and Supervising Officers who cover); "My sessions" to
 *   Key Workers only; "Sessions due" and statistics to those who oversee delivery.
 * - Users, the audit trail and the email outbox are for admins and the national team; a Key Worker never reads the
 *   audit trail.
 */
type Who = 'public' | 'signed-in' | string

export const ACCESS_TABLE: Record<string, Who> = {
  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  'GET /sign-in/oidc': 'public',
  'GET /sign-in/oidc/callback': 'public',
  'POST /sign-out': 'signed-in',
  'GET /account/password': 'signed-in',
  'POST /account/password': 'signed-in',
  'POST /establishment/switch': 'signed-in',
  'GET /': 'signed-in',

  'GET /establishments': 'NP',
  'GET /establishments/new': 'NP',
  'POST /establishments/new': 'NP',
  'GET /establishment/settings': 'EA NP',
  'POST /establishment/settings': 'EA NP',
  'GET /national': 'NP',
  // the overview's CSV and RAG thresholds are the national team's; the comparison is for those who oversee an
  // establishment's delivery (SO, EA) and the national team acting in one (issue 17)
  'GET /national.csv': 'NP',
  'GET /national/thresholds': 'NP',
  'POST /national/thresholds': 'NP',
  'GET /comparison': 'SO EA NP',
  'GET /national/policy': 'NP',
  'POST /national/policy': 'NP',
  'GET /national/training-rules': 'NP',
  'POST /national/training-rules': 'NP',
  'GET /establishment/training-rules': 'SO EA NP',
  'POST /establishment/training-rules': 'EA NP',

  'GET /prisoners': 'KW SO EA NP',
  'GET /prisoners/new': 'EA',
  'POST /prisoners/new': 'EA',
  'GET /prisoners/:prisonNumber': 'KW SO EA NP',
  'GET /prisoners/:prisonNumber/edit': 'EA',
  'POST /prisoners/:prisonNumber/edit': 'EA',

  'GET /units': 'EA NP',
  'GET /units/new': 'EA',
  'POST /units/new': 'EA',
  'GET /units/:unitId/edit': 'EA',
  'POST /units/:unitId/edit': 'EA',

  'GET /staff': 'KW SO EA NP',
  'GET /staff/new': 'EA',
  'POST /staff/new': 'EA',
  'GET /staff/:staffId': 'KW SO EA NP',
  'GET /staff/:staffId/edit': 'EA',
  'POST /staff/:staffId/edit': 'EA',

  'GET /users': 'EA NP',
  'GET /users/new': 'EA NP',
  'POST /users/new': 'EA NP',
  'GET /users/:userId': 'EA NP',
  'POST /users/:userId/roles': 'EA NP',
  'POST /users/:userId/enabled': 'EA NP',
  'POST /users/:userId/password': 'EA NP',
  'POST /users/:userId/remove': 'EA NP',
  'GET /audit': 'EA NP',

  'GET /allocate': 'SO EA',
  'GET /allocate/preview': 'SO EA',
  'POST /allocate/confirm': 'SO EA',
  'GET /allocate/rebalance': 'SO EA',
  'POST /allocate/rebalance/confirm': 'SO EA',
  'GET /staff/:staffId/cover': 'SO EA',
  'POST /staff/:staffId/cover': 'SO EA',
  'GET /caseload': 'KW SO',
  'GET /prisoners/:prisonNumber/allocate': 'SO EA',
  'POST /prisoners/:prisonNumber/allocate': 'SO EA',
  'GET /prisoners/:prisonNumber/deallocate': 'SO EA',
  'POST /prisoners/:prisonNumber/deallocate': 'SO EA',

  'GET /prisoners/:prisonNumber/sessions/new': 'KW SO',
  'POST /prisoners/:prisonNumber/sessions': 'KW SO',
  'GET /sessions/drafts': 'KW SO',
  'GET /sessions/:sessionId/edit': 'KW SO',
  'POST /sessions/:sessionId/draft': 'KW SO',
  'POST /sessions/:sessionId/submit': 'KW SO',
  'POST /sessions/:sessionId/check': 'KW SO',
  'GET /sessions/:sessionId': 'KW SO EA NP',
  'GET /sessions/:sessionId/amend': 'KW SO EA',
  'POST /sessions/:sessionId/amend': 'KW SO EA',
  'GET /sessions/:sessionId/delete': 'EA',
  'POST /sessions/:sessionId/delete': 'EA',

  'GET /hubs': 'KW SO EA NP',
  'GET /hubs/new': 'EA',
  'POST /hubs/new': 'EA',
  'GET /hubs/my-bookings': 'KW SO EA',
  'GET /hubs/book': 'KW SO EA',
  'POST /hubs/book': 'KW SO EA',
  'GET /hubs/bookings/:bookingId/cancel': 'KW SO EA',
  'POST /hubs/bookings/:bookingId/cancel': 'KW SO EA',
  'GET /hubs/rooms/:roomId/edit': 'EA',
  'POST /hubs/rooms/:roomId/edit': 'EA',
  'GET /hubs/:hubId': 'KW SO EA NP',
  'GET /hubs/:hubId/edit': 'EA',
  'POST /hubs/:hubId/edit': 'EA',
  'GET /hubs/:hubId/rooms/new': 'EA',
  'POST /hubs/:hubId/rooms/new': 'EA',

  'GET /staff/:staffId/key-work-time': 'KW SO EA NP',
  'POST /staff/:staffId/key-work-time': 'SO EA',
  'POST /staff/:staffId/key-work-time/:slotId/remove': 'SO EA',
  'GET /my-sessions': 'KW',
  'POST /my-sessions/book': 'KW',
  'GET /sessions-due': 'SO EA NP',

  'GET /import': 'EA',
  'POST /import': 'EA',
  'GET /import/result': 'EA',

  'GET /directory': 'KW SO EA NP',
  'GET /directory/check-due': 'EA NP',
  'GET /directory/services/new': 'EA NP',
  'POST /directory/services/new': 'EA NP',
  'GET /directory/services/:serviceId': 'KW SO EA NP',
  'GET /directory/services/:serviceId/edit': 'EA NP',
  'POST /directory/services/:serviceId/edit': 'EA NP',
  'POST /directory/services/:serviceId/checked': 'EA NP',
  'GET /directory/export': 'KW SO EA NP',
  'POST /directory/export': 'KW SO EA NP',
  'GET /directory/import': 'EA NP',
  'POST /directory/import': 'EA NP',
  'GET /directory/import/result': 'EA NP',
  'GET /directory/taxonomy-terms': 'EA NP',
  'POST /directory/taxonomy-terms/:termId': 'EA NP',
  'GET /directory/api-tokens': 'EA NP',
  'POST /directory/api-tokens': 'EA NP',
  'POST /directory/api-tokens/revoke': 'EA NP',
  // the HSDS API checks its callers itself (features/directory/hsds/api.ts): a signed-in user with any role in the
  // establishment, or a partner's API token; anyone else gets a JSON 401 (test/access.test.ts checks it)
  // the API for other services (features/apiV1): a client's bearer token decides, never a session (decision 007)
  'POST /api/v1/oauth/token': 'public',
  'GET /api/v1/openapi.json': 'public',
  'GET /api/v1/prisoners/:prisonNumber/key-worker': 'public',
  'GET /api/v1/prisoners/:prisonNumber/sessions': 'public',
  'GET /api/v1/establishments/:establishmentCode/allocations': 'public',
  'GET /api/v1/establishments/:establishmentCode/referrals': 'public',
  'GET /api/v1/establishments/:establishmentCode/statistics': 'public',
  'GET /api/hsds': 'public',
  'GET /api/hsds/openapi.json': 'public',
  'GET /api/hsds/services': 'public',
  'GET /api/hsds/services/:serviceId': 'public',
  'GET /api/hsds/organizations': 'public',
  'GET /api/hsds/organizations/:organizationId': 'public',
  'GET /api/hsds/taxonomies': 'public',
  'GET /api/hsds/taxonomies/:taxonomyId': 'public',
  'GET /api/hsds/taxonomy_terms': 'public',
  'GET /api/hsds/taxonomy_terms/:taxonomyTermId': 'public',
  'GET /api/hsds/service_at_locations': 'public',
  'GET /api/hsds/service_at_locations/:serviceAtLocationId': 'public',

  'GET /guidance': 'signed-in',
  'GET /guidance/versions': 'signed-in',
  'GET /guidance/changes': 'signed-in',
  'GET /guidance/edit': 'NP',
  'POST /guidance/edit': 'NP',
  'GET /booklet': 'KW SO EA NP',
  'GET /booklet.pdf': 'KW SO EA NP',
  'GET /booklet/introduction': 'EA',
  'POST /booklet/introduction': 'EA',
  'GET /worksheets': 'KW SO EA NP',
  'GET /worksheets/new': 'EA NP',
  'POST /worksheets/new': 'EA NP',
  'GET /worksheets/:worksheetId.pdf': 'KW SO EA NP',
  'GET /worksheets/:worksheetId': 'KW SO EA NP',
  'GET /worksheets/:worksheetId/edit': 'EA NP',
  'POST /worksheets/:worksheetId/edit': 'EA NP',

  'GET /referrals': 'KW SO EA NP',
  'GET /referrals/:referralId': 'KW SO EA NP',
  'POST /referrals/:referralId': 'KW SO',
  'GET /outbox': 'EA NP',
  'GET /outbox/:emailId': 'EA NP',
  // the case notes sent to the MoJ case notes service (issue 18): an admin sees and retries its establishment's, the
  // national team every establishment's
  'GET /case-notes': 'EA NP',
  'POST /case-notes/:outboxId/retry': 'EA NP',

  'GET /prisoners/:prisonNumber/timeline': 'KW SO EA NP',
  'GET /prisoners/:prisonNumber/timeline/print': 'KW SO EA NP',
  // a transfer handover (issue 18): read by everyone who reads his record here; prepared and withdrawn by the sending
  // establishment's Supervising Officers and admins, and by his Key Worker there (the service refuses other Key
  // Workers: 404)
  'GET /prisoners/:prisonNumber/handover': 'KW SO EA NP',
  'GET /prisoners/:prisonNumber/handover/prepare': 'KW SO EA',
  'POST /prisoners/:prisonNumber/handover/prepare': 'KW SO EA',
  'POST /prisoners/:prisonNumber/handover/withdraw': 'KW SO EA',
  'GET /statistics': 'SO EA NP',
  'GET /statistics.csv': 'SO EA NP',
  'GET /quality': 'SO EA NP',
  'GET /quality/dashboard': 'SO EA NP',
  'GET /quality/dashboard.csv': 'SO EA NP',
  // the training dashboard (issue 16): those who oversee training; the national team over every establishment
  'GET /training/dashboard': 'SO EA NP',
  'GET /training/dashboard.csv': 'SO EA NP',
  'GET /quality/calibration': 'SO EA NP',
  'GET /quality/calibration/new': 'SO NP',
  'POST /quality/calibration/new': 'SO NP',
  'GET /quality/calibration/:calibrationId': 'SO EA NP',
  'POST /quality/calibration/:calibrationId/close': 'SO NP',
  'GET /quality/calibration/:calibrationId/entries/:sessionId': 'SO',
  'POST /quality/calibration/:calibrationId/entries/:sessionId': 'SO',

  // integrity flags: the Supervising Officer resolves them (and checks every entry again); admin and national read
  'GET /quality/flags': 'SO EA NP',
  'GET /quality/flags/:flagId': 'SO EA NP',
  'POST /quality/flags/:flagId': 'SO',
  'POST /quality/flags/scan': 'SO',

  // supervision: the Supervising Officer records it (and changes only their own records); admin and national read;
  // the Key Worker reads their own
  'GET /quality/supervision': 'SO EA NP',
  'GET /quality/supervision/:staffId': 'SO EA NP',
  'GET /quality/supervision/:staffId/new': 'SO',
  'POST /quality/supervision/:staffId/new': 'SO',
  'GET /quality/supervision/record/:supervisionId/edit': 'SO',
  'POST /quality/supervision/record/:supervisionId/edit': 'SO',
  'GET /my-supervision': 'KW',

  // the reflective journal (issue 16): a Key Worker keeps their own (private; only its writer changes, shares or
  // deletes an entry); Supervising Officers read the entries shared with them. Admins and the national team never
  // read a journal.
  'GET /journal': 'KW',
  'GET /journal/new': 'KW',
  'GET /journal/new/gibbs': 'KW',
  'POST /journal/new/gibbs': 'KW',
  'GET /journal/new/short': 'KW',
  'POST /journal/new/short': 'KW',
  'GET /journal/shared': 'SO',
  'GET /journal/:entryId': 'KW SO',
  'GET /journal/:entryId/edit': 'KW',
  'POST /journal/:entryId/edit': 'KW',
  'POST /journal/:entryId/sharing': 'KW',
  'GET /journal/:entryId/delete': 'KW',
  'POST /journal/:entryId/delete': 'KW',
  // values-based recruitment (issue 17): the national team runs campaigns (framework, candidates and their personal
  // data, assessors, results, settings); assessors and moderators are Supervising Officers, admins or the national
  // team, each reaching only the candidates assigned to them (anyone else: 404). Key Workers take no part.
  'GET /recruitment': 'SO EA NP',
  'GET /recruitment/new': 'NP',
  'POST /recruitment/new': 'NP',
  'GET /recruitment/settings': 'NP',
  'POST /recruitment/settings': 'NP',
  'GET /recruitment/:campaignId': 'NP',
  'GET /recruitment/:campaignId/questions/new': 'NP',
  'POST /recruitment/:campaignId/questions/new': 'NP',
  'POST /recruitment/:campaignId/questions/remove': 'NP',
  'GET /recruitment/:campaignId/candidates/new': 'NP',
  'POST /recruitment/:campaignId/candidates/new': 'NP',
  'GET /recruitment/:campaignId/candidates/:candidateId': 'NP',
  'POST /recruitment/:campaignId/candidates/:candidateId': 'NP',
  'GET /recruitment/:campaignId/candidates/:candidateId/score': 'SO EA NP',
  'POST /recruitment/:campaignId/candidates/:candidateId/score': 'SO EA NP',
  'GET /recruitment/:campaignId/moderation': 'SO EA NP',
  'POST /recruitment/:campaignId/moderation': 'SO EA NP',
  'GET /recruitment/:campaignId/results': 'NP',
  // data protection (issue 18): a subject access request reads a man's records in every establishment, and the
  // retention rule is national: the national team only (an establishment admin holds only part of what he is owed)
  'GET /data-protection': 'NP',
  'GET /data-protection/subject-access': 'NP',
  'POST /data-protection/subject-access': 'NP',
  'GET /data-protection/subject-access/:prisonNumber': 'NP',
  'GET /data-protection/subject-access/:prisonNumber/sar.json': 'NP',
  'GET /data-protection/subject-access/:prisonNumber/sar.pdf': 'NP',
  'GET /data-protection/retention': 'NP',
  'POST /data-protection/retention': 'NP',
  // the HMPPS systems (issue 18): the admin sees their establishment's syncs and events, the national team all;
  // the events endpoint checks its shared secret itself (a queue listener, never a session)
  'GET /hmpps': 'EA NP',
  'POST /api/hmpps/events': 'public',
  // bulletins (issue 17): the national team publishes and sees reach everywhere; establishment staff read and mark
  // read what is for them; SOs and admins see who in their establishment has not read each
  'GET /bulletins': 'NP',
  'GET /bulletins/new': 'NP',
  'POST /bulletins/new': 'NP',
  'GET /bulletins/reach': 'SO EA NP',
  'GET /bulletins/:bulletinId': 'KW SO EA NP',
  'POST /bulletins/:bulletinId/read': 'KW SO EA',
  // training assigned to a Key Worker (issue 16): a Supervising Officer assigns it (from their QA review, or by hand);
  // the SO and the admin list and cancel assignments; the national team does neither
  'GET /training/assign': 'SO',
  'POST /training/assign': 'SO',
  'GET /training/assignments': 'SO EA',
  'POST /training/assignments/cancel': 'SO EA',
  // training records (issue 16): everyone's own record and plan on /training, and their own certificates (a Key Worker
  // who is not the holder gets a 404); Supervising Officers and admins keep the officers' records (record by hand,
  // void, import); the national team reads them. The certificate check is public, without sign-in; the xAPI
  // statements answer for themselves (an establishment's xAPI token, never a session: JSON 401 otherwise).
  'GET /training': 'signed-in',
  'GET /training/officers': 'SO EA NP',
  'GET /training/officers/:staffId': 'SO EA NP',
  'GET /training/officers/:staffId/completions/new': 'SO EA',
  'POST /training/officers/:staffId/completions/new': 'SO EA',
  'GET /training/completions/:completionId/void': 'SO EA',
  'POST /training/completions/:completionId/void': 'SO EA',
  'GET /training/certificates/:certificateId': 'signed-in',
  'GET /training/import': 'SO EA',
  'POST /training/import': 'SO EA',
  'GET /certificates/verify': 'public',
  'GET /api/xapi/statements': 'public',
  'POST /api/xapi/statements': 'public',
  // the staff survey (issue 17): everyone with a role in an establishment (KW, SO, EA) answers; the national team
  // publishes and closes rounds and sets the thresholds; SOs and admins read their own establishment's results.
  'GET /survey': 'KW SO EA',
  'POST /survey': 'KW SO EA',
  'GET /survey/rounds': 'NP',
  'GET /survey/rounds/new': 'NP',
  'POST /survey/rounds/new': 'NP',
  'GET /survey/rounds/:roundId': 'SO EA NP',
  'POST /survey/rounds/:roundId/close': 'NP',
  'GET /survey/rounds/:roundId/edit': 'NP',
  'POST /survey/rounds/:roundId/edit': 'NP',
  'GET /survey/settings': 'NP',
  'POST /survey/settings': 'NP',
  // the good-practice library: everyone reads it; Supervising Officers nominate; the national team reviews
  'GET /good-practice': 'KW SO EA NP',
  'GET /good-practice/:goodPracticeId': 'KW SO EA NP',
  'GET /good-practice/nominate': 'SO',
  'POST /good-practice/nominate': 'SO',
  'GET /good-practice/nominations': 'NP',
  'GET /good-practice/nominations/:nominationId': 'NP',
  'POST /good-practice/nominations/:nominationId': 'NP',
  // good practice from establishments (issue 17): Supervising Officers submit their establishment's and change it
  // until it is published; the national team reviews every establishment's; what is published everyone reads.
  // Questions to the national policy team: SOs and admins ask, and read every answer; the national team answers.
  'GET /good-practice/shared': 'KW SO EA NP',
  'GET /good-practice/submissions': 'SO NP',
  'GET /good-practice/submissions/new': 'SO',
  'POST /good-practice/submissions/new': 'SO',
  'GET /good-practice/submissions/:submissionId': 'SO NP',
  'POST /good-practice/submissions/:submissionId': 'SO NP',
  'GET /questions': 'SO EA NP',
  'POST /questions': 'SO EA',
  'GET /questions/:questionId': 'NP',
  'POST /questions/:questionId': 'NP',
  // trials and evaluation (issue 17): the national team defines interventions and imports outcome counts; Supervising
  // Officers and admins read the reports (national figures of establishments, no person's data), never change them
  'GET /trials': 'SO EA NP',
  'GET /trials/new': 'NP',
  'POST /trials/new': 'NP',
  'GET /trials/outcomes': 'NP',
  'GET /trials/outcomes/import': 'NP',
  'POST /trials/outcomes/import': 'NP',
  'GET /trials/:trialId': 'SO EA NP',
  'GET /trials/:trialId/report.pdf': 'SO EA NP',
  'GET /trials/:trialId/edit': 'NP',
  'POST /trials/:trialId/edit': 'NP',

  // QA queue and reviews: the Supervising Officer samples, reviews and commends (never their own entries); the
  // establishment admin reads, sets the QA settings with the SO, and amends reviews; the national team reads and sets
  // the national bounds of the sample. Key Workers read their own feedback, acknowledge it and reply.
  'GET /quality/settings': 'SO EA NP',
  'POST /quality/settings': 'SO EA',
  'POST /quality/settings/national': 'NP',
  'GET /quality/queue': 'SO EA NP',
  'POST /quality/queue/draw': 'SO',
  'GET /quality/reviews': 'SO EA NP',
  'GET /quality/reviews/new': 'SO',
  'POST /quality/reviews/new': 'SO',
  'GET /quality/review': 'SO EA NP',
  'POST /quality/review/amend': 'SO EA',
  'GET /quality/commend': 'SO',
  'POST /quality/commend': 'SO',
  'GET /my-feedback': 'KW',
  'GET /my-feedback/review': 'KW',
  'POST /my-feedback/acknowledge': 'KW',
  'POST /my-feedback/reply': 'KW',
  // each user's own notices
  'GET /notices': 'signed-in',
  'GET /notices/open': 'signed-in',

  // the quality rubric: everyone scored against it reads it; the national team versions the national criteria; an
  // establishment's Supervising Officers and admins keep its own criteria (never removing a national one)
  'GET /quality/rubric': 'KW SO EA NP',
  'POST /quality/rubric/draft': 'NP',
  'GET /quality/rubric/draft': 'NP',
  'GET /quality/rubric/draft/criterion': 'NP',
  'POST /quality/rubric/draft/criterion': 'NP',
  'POST /quality/rubric/draft/publish': 'NP',
  'GET /quality/rubric/criteria/new': 'SO EA',
  'POST /quality/rubric/criteria': 'SO EA',
  'GET /quality/rubric/criteria/:criterionId': 'SO EA',
  'POST /quality/rubric/criteria/:criterionId': 'SO EA',
  'POST /quality/rubric/criteria/:criterionId/retire': 'SO EA',
  'POST /quality/rubric/criteria/:criterionId/restore': 'SO EA',
  'GET /training/programme': 'KW SO EA NP',
  'GET /training/programme/versions': 'KW SO EA NP',
  'POST /training/programme/draft/start': 'NP',
  'GET /training/programme/draft': 'NP',
  'GET /training/programme/draft/module': 'NP',
  'POST /training/programme/draft/module': 'NP',
  'POST /training/programme/draft/module/remove': 'NP',
  'GET /training/programme/draft/contributor': 'NP',
  'POST /training/programme/draft/contributor': 'NP',
  'POST /training/programme/draft/contributor/remove': 'NP',
  'POST /training/programme/draft/publish': 'NP',
  'GET /training/programme/local/new': 'EA',
  'POST /training/programme/local/new': 'EA',
  'GET /training/programme/local/:localModuleId': 'EA',
  'POST /training/programme/local/:localModuleId': 'EA',
  'POST /training/programme/local/:localModuleId/retire': 'EA',
  'POST /training/programme/local/:localModuleId/restore': 'EA',
  // training courses (issue 16): everyone reads the courses; SOs and admins schedule them at the establishment, the
  // national team regional ones; an officer enrols themself, their SO or an admin enrols them; the trainer (any
  // user, checked by the service), an SO or admin, or the national team take the register and complete a course;
  // SOs, admins and the national team cancel; participants rate a course; those who oversee training read ratings.
  'GET /training/courses': 'KW SO EA NP',
  'GET /training/courses/new': 'SO EA NP',
  'POST /training/courses/new': 'SO EA NP',
  'GET /training/courses/:courseId': 'KW SO EA NP',
  'POST /training/courses/:courseId/enrol': 'KW SO EA',
  'POST /training/courses/:courseId/withdraw': 'KW SO EA',
  'GET /training/courses/:courseId/register': 'KW SO EA NP',
  'POST /training/courses/:courseId/register': 'KW SO EA NP',
  'GET /training/courses/:courseId/complete': 'KW SO EA NP',
  'POST /training/courses/:courseId/complete': 'KW SO EA NP',
  'GET /training/courses/:courseId/cancel': 'SO EA NP',
  'POST /training/courses/:courseId/cancel': 'SO EA NP',
  'POST /training/courses/:courseId/feedback': 'KW SO',
  'GET /training/feedback': 'SO EA NP',
}

const ABBREVIATIONS: Record<string, Role> = {
  KW: 'KEY_WORKER',
  SO: 'SUPERVISING_OFFICER',
  EA: 'ESTABLISHMENT_ADMIN',
  NP: 'NATIONAL_POLICY',
}

/** Whether the table lets `role` (null: signed out) use the route labelled `label` ("GET /path"). */
export function tableAllows(label: string, role: Role | null): boolean {
  const who = ACCESS_TABLE[label]
  if (who === undefined)
    throw new Error(`${label} is not in test/accessTable.ts: add it with the roles that may use it`)
  if (who === 'public') return true
  if (role === null) return false
  if (who === 'signed-in') return true
  return who.split(' ').some(abbreviation => {
    const r = ABBREVIATIONS[abbreviation]
    if (!r) throw new Error(`${label}: unknown role abbreviation ${abbreviation} in test/accessTable.ts`)
    return r === role
  })
}

/** The table's roles for a route, in the same shape as a RouteDef's access, to compare the two exactly. */
export function tableAccess(label: string): 'public' | 'signed-in' | Role[] {
  const who = ACCESS_TABLE[label]
  if (who === undefined) throw new Error(`${label} is not in test/accessTable.ts`)
  if (who === 'public' || who === 'signed-in') return who
  return who
    .split(' ')
    .map(a => ABBREVIATIONS[a]!)
    .sort()
}

import { addDays } from '../src/domain/dates'
import { londonNow } from '../src/domain/hubs'
import { PATHWAY_TAXONOMY_ID, PATHWAYS } from '../src/domain/pathways'
import type { Role } from '../src/domain/roles'
import { SYSTEM_ACTOR } from '../src/platform/audit/service'
import { insertReferral, insertSession } from './support/referrals'
import { recordSession } from './support/sessions'
import { insertCalibration, userIdOf } from './support/qualityFixtures'
import { prisonerRecordSchema } from '../src/features/prisoners/schema'
import { staffRecordSchema } from '../src/features/staff/schema'
import { type World, testWorld } from './harness'
import { seedRecruitment } from './support/recruitment'
import { failedCaseNote } from './support/caseNotes'

export const CODES = ['MDI', 'LEI'] as const
export type Code = (typeof CODES)[number]

/** The records seeded in one establishment, for tests to point routes at. */
export interface Seeded {
  code: Code
  establishmentId: number
  unitId: number
  unitCode: string
  staffId: number
  staffNumber: string
  prisonNumber: string
  /** a user with a role only in this establishment, not one the tests sign in as (routes may change it) */
  userId: number
  /** a services directory entry of this establishment (not a national one) */
  serviceId: string
  /** its organisation, and its one service at a location (HSDS API routes) */
  organizationId: string
  serviceAtLocationId: string
  /** a term of another taxonomy its directory brought (the terms page maps it to a pathway) */
  termId: string
  /** a Key Worker hub with one room, and a booking of it a week ahead */
  hubId: number
  roomId: number
  bookingId: number
  /** a local worksheet of this establishment (national ones are seeded too, with guide version 1) */
  worksheetId: number
  /** a weekly slot of key work time of staffId (Tuesday 14:00 to 16:30) */
  slotId: number
  /** a referral to serviceId, made in a minimal submitted session of staffId (rows written directly) */
  referralId: number
  /** the email that referral sent (to the outbox: Notify is not configured in tests) */
  emailId: number
  /** the key work case note of sessionId, failed at the MoJ case notes service (written to the outbox directly) */
  outboxId: number
  /** a delivered session submitted through the sessions service by the establishment's Key Worker user */
  sessionId: number
  /** an open calibration exercise of the establishment over sessionId and the referral's session, its SO a marker */
  calibrationId: number
  /** a supervision of staffId recorded by the establishment's Supervising Officer user (held long ago) */
  supervisionId: number
  /** sessionId nominated to the good-practice library and published (the library is national: shared) */
  goodPracticeId: number
  /** the referral's session nominated to the library, waiting for the national team's review */
  nominationId: number
  /** good practice submitted by the establishment's Supervising Officer, waiting for the national team's review */
  submissionId: number
  /** a question the establishment's Supervising Officer asked the national policy team, not yet answered */
  questionId: number
  /** the integrity flag its submit raised (a 45-minute session with a short narrative: thin) */
  flagId: number
  /** an establishment's own quality rubric criterion (the national rubric version 1 is seeded too) */
  criterionId: number
  /** a reflective journal entry written by the establishment's Key Worker user (about staffId), shared with its SOs */
  journalEntryId: number
  /** a local training module of the establishment (the national programme version 1 is seeded too) */
  localModuleId: number
  /** a course of localModuleId at the establishment two weeks ahead, trained by its Key Worker user; none enrolled */
  courseId: number
  /** a completion of localModuleId by staffId long ago (2020: outside every window and CPD year), and its certificate */
  completionId: number
  certificateId: number
}

export type SeededWorld = World & { seeded: Record<Code, Seeded>; close(): Promise<void> }

/** The user each role signs in as, acting in `code`. */
export function usernameFor(role: Role, code: Code = 'MDI'): string {
  return role === 'NATIONAL_POLICY' ? 'national' : `${role.toLowerCase()}.${code.toLowerCase()}`
}

interface People {
  unit: string
  unitName: string
  staffNumber: string
  prisoner: Record<string, string>
}

const PEOPLE: Record<Code, People> = {
  MDI: {
    unit: 'HB1',
    unitName: 'Houseblock 1',
    staffNumber: 'MDI0001',
    prisoner: {
      prisonNumber: 'A1111AA',
      firstName: 'Tomasz',
      lastName: 'Nowak',
      dateOfBirth: '1988-05-14',
      unit: 'HB1',
      cell: 'HB1-1-004',
      receptionDate: '2025-02-03',
      releaseDate: '2027-08-30',
      status: 'in',
      complexity: 'medium',
      firstLanguage: 'pl',
      interpreterNeeded: 'yes',
      nationality: 'Polish',
    },
  },
  LEI: {
    unit: 'A',
    unitName: 'A wing',
    staffNumber: 'LEI0001',
    prisoner: {
      prisonNumber: 'B2222BB',
      firstName: 'David',
      lastName: 'Jones',
      dateOfBirth: '1979-11-02',
      unit: 'A',
      cell: 'A-2-011',
      receptionDate: '2025-06-20',
      releaseDate: '',
      status: 'in',
      complexity: 'low',
      firstLanguage: 'en',
      interpreterNeeded: 'no',
      nationality: 'British',
    },
  },
}

function must<T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, string> }, what: string): T {
  if (!r.ok) throw new Error(`fixture ${what}: ${JSON.stringify(r.errors)}`)
  return r.value
}

/**
 * testWorld() plus, in each of MDI and LEI, a residential unit, a staff member, a prisoner in that unit and a
 * user with a role there, all made through the services as a person would make them.
 */
export async function seededWorld(): Promise<SeededWorld> {
  const world = await testWorld()
  const s = world.services
  const seeded = {} as Record<Code, Seeded>
  // the national guide (version 1) and worksheets, as startServices seeds them
  await s.guidance.ensureNationalContent()
  for (const code of CODES) {
    const establishmentId = world.est[code]!
    const p = PEOPLE[code]
    const actor = { ...SYSTEM_ACTOR, establishmentId }

    const unitId = must(
      await s.units.create(actor, establishmentId, { code: p.unit, name: p.unitName, capacity: 120 }),
      `unit ${code}`,
    )

    const record = prisonerRecordSchema.parse(p.prisoner)
    must(await s.prisoners.create(actor, establishmentId, record), `prisoner ${code}`)

    const userId = must(
      await s.users.create(SYSTEM_ACTOR, {
        username: `fixture.${code.toLowerCase()}`,
        displayName: `Fixture user ${code}`,
        email: null,
        password: null,
        roles: [{ role: 'KEY_WORKER', establishmentId }],
      }),
      `user ${code}`,
    )

    const staffId = must(
      await s.staff.create(
        actor,
        establishmentId,
        staffRecordSchema.parse({
          staffNumber: p.staffNumber,
          firstName: 'Sam',
          lastName: `Officer ${code}`,
          grade: 'Band 3',
          workingPattern: 'full_time',
          startedInPost: '2023-04-01',
          languages: 'English',
          status: 'active',
          homeUnit: p.unit,
        }),
      ),
      `staff ${code}`,
    )

    const hubId = must(
      await s.hubs.createHub(actor, establishmentId, {
        name: `${p.unitName} hub`,
        unitId,
        opensAt: '08:00',
        closesAt: '20:00',
        active: true,
      }),
      `hub ${code}`,
    )
    const roomId = must(
      await s.hubs.addRoom(actor, establishmentId, hubId, {
        name: 'Interview room 1',
        kind: 'room',
        isPrivate: true,
        hasComputer: true,
        hasPhone: false,
        active: true,
      }),
      `room ${code}`,
    )
    // booked by the establishment's Key Worker, so every role that may cancel it sees the cancel form
    const keyWorkerName = usernameFor('KEY_WORKER', code)
    const keyWorker = (await s.users.list(establishmentId, keyWorkerName)).find(u => u.username === keyWorkerName)
    const bookingId = must(
      await s.hubs.book({ userId: keyWorker?.id ?? null, username: keyWorkerName, establishmentId }, establishmentId, {
        roomId,
        date: addDays(londonNow().date, 7),
        startsAt: '10:00',
        endsAt: '10:45',
        prisonNumber: record.prisonNumber,
        purpose: 'Key work session',
      }),
      `booking ${code}`,
    )

    const serviceId = must(
      await s.directory.create(actor, establishmentId, {
        name: `Resettlement advice ${code}`,
        description: 'Help with housing, benefits and ID before release.',
        organizationName: p.unitName === 'A wing' ? 'Leeds (HMP)' : 'Moorland (HMP)',
        status: 'active',
        provision: 'internal',
        applicationProcess: 'Email the team with the prison number.',
        eligibility: null,
        waitTime: null,
        email: `resettlement.${code.toLowerCase()}@example.org`,
        url: null,
        interpretationServices: null,
        location: { type: 'physical', name: 'Resettlement hub', description: null, url: null, address: null },
        contacts: [{ name: 'Sam Hughes', title: 'Resettlement officer', email: null, phone: null }],
        phones: [{ number: '0113 496 0100', extension: '2201', type: 'voice' }],
        schedules: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '16:00', description: null }],
        languages: ['en'],
        pathways: ['accommodation'],
      }),
      `directory service ${code}`,
    )

    const { organization_id: organizationId } = await s.db.db
      .selectFrom('directory_services')
      .select('organization_id')
      .where('id', '=', serviceId)
      .executeTakeFirstOrThrow()
    const { id: serviceAtLocationId } = await s.db.db
      .selectFrom('directory_service_at_locations')
      .select('id')
      .where('service_id', '=', serviceId)
      .executeTakeFirstOrThrow()
    const termId = `f0e1d2c3-0000-4000-8000-0000000${String(establishmentId).padStart(5, '0')}`
    await s.db.db
      .insertInto('directory_foreign_terms')
      .values({
        id: termId,
        establishment_id: establishmentId,
        taxonomy_id: null,
        parent_id: null,
        code,
        name: `A term of ${code}`,
        data: JSON.stringify({ description: 'A term', id: termId, name: `A term of ${code}` }),
        pathway_term_id: null,
        mapped_at: null,
        mapped_by: null,
        mapped_by_establishment_id: null,
      })
      .execute()

    const worksheetId = must(
      await s.worksheets.create(actor, establishmentId, {
        title: `Getting to the gym at ${code}`,
        pathway: 'health',
        purpose: 'Helps a man plan regular exercise.',
        guidance: 'Use this with men who want to get fitter.',
        sheet: '# Getting to the gym\n\nWhen can I go?\n\n___\n',
      }),
      `worksheet ${code}`,
    )

    const slotId = must(
      await s.planning.addSlot(actor, establishmentId, staffId, {
        weekday: 2,
        onDate: null,
        startsAt: '14:00',
        endsAt: '16:30',
        validFrom: londonNow().date,
        validTo: null,
      }),
      `key work time ${code}`,
    )

    // a minimal submitted session with a referral to the directory service, and the email it sends
    const prisonerId = (await s.prisoners.get(establishmentId, record.prisonNumber))!.id
    const referralSessionId = await insertSession(s.db.db, {
      establishmentId,
      prisonerId,
      staffId,
      author: usernameFor('KEY_WORKER', code),
      sessionDate: addDays(londonNow().date, -14),
      agreed: 'Ask the resettlement team about housing.',
    })
    const referralId = await insertReferral(s.db.db, {
      establishmentId,
      prisonerId,
      sessionId: referralSessionId,
      serviceId,
      note: 'Needs an address for release.',
      followUpDate: addDays(londonNow().date, -1),
      createdBy: usernameFor('KEY_WORKER', code),
    })
    const [sent] = await s.referrals.sendForNewReferrals(actor, establishmentId, [referralId])
    if (sent?.kind !== 'email') throw new Error(`fixture referral email ${code}: ${JSON.stringify(sent)}`)
    const emailId = sent.emailId

    const sessionId = await recordSession(
      s.sessions,
      { userId: keyWorker?.id ?? null, username: keyWorkerName, establishmentId },
      establishmentId,
      record.prisonNumber,
      {},
      londonNow().date,
    )
    const outboxId = await failedCaseNote(s, establishmentId, sessionId, record.prisonNumber)
    const { id: flagId } = await s.db.db
      .selectFrom('integrity_flags')
      .select('id')
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow()

    // a supervision and a published good-practice item, written straight to their tables
    const supervisorName = usernameFor('SUPERVISING_OFFICER', code)
    const supervisor = (await s.users.list(establishmentId, supervisorName)).find(u => u.username === supervisorName)!
    const stamp = new Date().toISOString()
    const { id: supervisionId } = await s.db.db
      .insertInto('supervisions')
      .values({
        establishment_id: establishmentId,
        staff_id: staffId,
        supervisor_user_id: supervisor.id,
        supervisor: supervisorName,
        held_on: '2020-01-06',
        topics: 'Caseload and wellbeing.',
        agreed: 'Shadow a colleague on a hub session.',
        next_due_on: '2020-02-17',
        created_at: stamp,
        updated_at: stamp,
        updated_by: supervisorName,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const { id: goodPracticeId } = await s.db.db
      .insertInto('good_practice')
      .values({
        establishment_id: establishmentId,
        session_id: sessionId,
        nominated_by_user_id: supervisor.id,
        nominated_by: supervisorName,
        nominated_at: stamp,
        reason: 'A clear, agreed plan.',
        status: 'published',
        title: `Good practice: accommodation (${code})`,
        text: 'What was agreed:\n[name] will write to the housing team by [date].',
        pathways: 'accommodation',
        decided_by: 'national',
        decided_at: stamp,
        decision_note: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const { id: nominationId } = await s.db.db
      .insertInto('good_practice')
      .values({
        establishment_id: establishmentId,
        session_id: referralSessionId,
        nominated_by_user_id: supervisor.id,
        nominated_by: supervisorName,
        nominated_at: stamp,
        reason: 'Found a real service for housing.',
        status: 'nominated',
        title: null,
        text: null,
        pathways: 'accommodation',
        decided_by: null,
        decided_at: null,
        decision_note: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // good practice submitted with its figures, and a question to the national policy team (issue 17)
    const { id: submissionId } = await s.db.db
      .insertInto('practice_submissions')
      .values({
        establishment_id: establishmentId,
        title: `Weekly slots on ${p.unit}`,
        what_they_did: 'Each Key Worker booked a fixed weekly slot.',
        what_changed: 'Sessions every week instead of in bursts.',
        evidence: null,
        pathways: 'accommodation',
        measures: 'compliance',
        before_from: '2020-01',
        before_to: '2020-03',
        after_from: '2020-04',
        after_to: '2020-06',
        figures: JSON.stringify([{ measure: 'compliance', before: { value: 50, n: 10 }, after: { value: 80, n: 10 } }]),
        figures_at: stamp,
        status: 'submitted',
        submitted_by_user_id: supervisor.id,
        submitted_by: supervisorName,
        submitted_at: stamp,
        reviewed_by: null,
        reviewed_at: null,
        review_note: null,
        published_at: null,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const { id: questionId } = await s.db.db
      .insertInto('practice_questions')
      .values({
        establishment_id: establishmentId,
        asked_by_user_id: supervisor.id,
        asked_by: supervisorName,
        title: 'Does a session on the landing count as private?',
        detail: 'The cell door was open.',
        asked_at: stamp,
        answer: null,
        answered_by: null,
        answered_at: null,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()

    const calibrationId = await insertCalibration(s.db.db, {
      establishmentId,
      rubricVersionId: (await s.rubric.current(establishmentId)).versionId,
      sessionIds: [referralSessionId, sessionId],
      markerIds: [await userIdOf(s.db.db, usernameFor('SUPERVISING_OFFICER', code))],
    })

    const criterionId = must(
      await s.rubric.addLocal(actor, establishmentId, {
        code: `${code}-1`,
        title: `Use of the ${p.unitName} hub`,
        guidance: 'The session is held in the hub, or the entry says why not.',
        descriptors: [
          'Not in the hub, no reason',
          'Not in the hub, a weak reason',
          'In the hub',
          'In the hub, booked ahead',
        ],
      }),
      `rubric criterion ${code}`,
    )

    const localModuleId = must(
      await s.training.addLocal(actor, establishmentId, {
        code: `LOCAL-${code}-1`,
        title: `Services and hubs of ${p.unitName}`,
        format: 'observation',
        hours: 2,
        days: 1,
        summary: 'A walk round the services a Key Worker signposts to, and the hub rooms for private sessions.',
        outcomes: ['Find each service of the establishment in the directory', 'Book a hub room for a session'],
        prerequisites: ['KW-INITIAL'],
      }),
      `local training module ${code}`,
    )

    // a reflective journal entry of the Key Worker user, shared with the Supervising Officers, written straight
    // to its table (the staff record is not linked to the account: other tests link it themselves)
    const { id: journalEntryId } = await s.db.db
      .insertInto('reflective_entries')
      .values({
        establishment_id: establishmentId,
        staff_id: staffId,
        user_id: keyWorker!.id,
        form: 'short',
        title: `A hard conversation on ${p.unit}`,
        written_on: '2020-01-06',
        description: 'I stayed calm and listened first; next time I will book the hub room.',
        minutes: 20,
        shared: 1,
        shared_at: stamp,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()

    const courseId = must(
      await s.courses.schedule(
        { userId: null, username: 'fixture', establishmentId },
        { userId: 0, establishmentId, region: 'Yorkshire', national: false, manager: true },
        {
          moduleId: localModuleId,
          days: [{ day: addDays(londonNow().date, 14), startsAt: '09:30', endsAt: '12:30' }],
          trainerUserId: keyWorker!.id,
          trainerName: '',
          place: 'Learning centre',
          capacity: 8,
          notes: '',
          region: null,
        },
        false,
      ),
      `training course ${code}`,
    )

    // a completion recorded by hand, as a Supervising Officer would, with the certificate it issues
    const [completionId] = await s.db.db.transaction().execute(trx =>
      s.trainingRecords.recordCompletions(trx, actor, [
        {
          establishmentId,
          staffId,
          moduleId: localModuleId,
          moduleCode: `LOCAL-${code}-1`,
          kind: 'local',
          title: `Services and hubs of ${p.unitName}`,
          completedOn: '2020-01-07',
          hours: 2,
          outcome: 'completed',
          evidence: 'Signed off by the Supervising Officer',
          source: 'manual',
        },
      ]),
    )
    const { id: certificateId } = await s.db.db
      .selectFrom('training_certificates')
      .select('id')
      .where('completion_id', '=', completionId!)
      .executeTakeFirstOrThrow()

    seeded[code] = {
      code,
      establishmentId,
      unitId,
      unitCode: p.unit,
      staffId,
      staffNumber: p.staffNumber,
      prisonNumber: record.prisonNumber,
      userId,
      serviceId,
      organizationId,
      serviceAtLocationId,
      termId,
      hubId,
      roomId,
      bookingId,
      worksheetId,
      slotId,
      referralId,
      emailId,
      outboxId,
      sessionId,
      calibrationId,
      supervisionId: Number(supervisionId),
      goodPracticeId: Number(goodPracticeId),
      nominationId: Number(nominationId),
      submissionId: Number(submissionId),
      questionId: Number(questionId),
      flagId,
      criterionId,
      courseId,
      completionId: completionId!,
      certificateId: Number(certificateId),
      journalEntryId: Number(journalEntryId),
      localModuleId,
    }
  }
  // one national trial (id 1): MDI adopted three months ago, compared with every other establishment
  await s.trials.create(SYSTEM_ACTOR, {
    name: 'Key Worker hub opened',
    kind: 'key_worker_hub',
    description: '',
    adoptions: [{ establishmentId: world.est.MDI!, startDate: addDays(londonNow().date, -90) }],
    comparisons: [],
    outcomes: ['compliance'],
  })
  // a national notice to everyone (bulletins are national: the same in every establishment), read by no one
  const national = await s.db.db.selectFrom('users').select('id').where('username', '=', 'national').executeTakeFirst()
  seededBulletinId = must(
    await s.bulletins.publishNotice(
      { userId: national ? Number(national.id) : 0, username: 'national', establishmentId: null },
      {
        title: 'Interpreters in every session',
        summary: 'Book a telephone interpreter.',
        link: '/guidance',
        roles: [],
      },
    ),
    'bulletin',
  )
  // a recruitment campaign for each establishment, its candidate assessed by the establishment's SO and admin
  for (const code of CODES) seededRecruitment[code] = await seedRecruitment(s, code)
  // the staff survey (issue 17): one national round (id 1), open from today for four weeks, no one has answered
  must(
    await s.survey.publishRound(SYSTEM_ACTOR, {
      title: 'Staff survey',
      opensOn: londonNow().date,
      closesOn: addDays(londonNow().date, 27),
      questions: [...s.survey.NATIONAL_QUESTIONS],
    }),
    'survey round',
  )
  return Object.assign(world, { seeded })
}

/** The recruitment campaign and unscored candidate seededWorld() makes for each establishment. */
const seededRecruitment = {} as Record<Code, { campaignId: number; candidateId: number }>
/** The notice seededWorld() publishes (PARAM_VALUES bulletinId). */
let seededBulletinId = 0

/**
 * What each route parameter stands for, in a given establishment. A route with a parameter not listed here
 * fails the access and browser tests: add it here (and seed the record above) when adding the route.
 */
export const PARAM_VALUES: Record<string, (s: Seeded) => string> = {
  prisonNumber: s => s.prisonNumber,
  // the establishment's code (the API for other services, /api/v1)
  establishmentCode: s => s.code,
  staffId: s => String(s.staffId),
  unitId: s => String(s.unitId),
  userId: s => String(s.userId),
  serviceId: s => s.serviceId,
  organizationId: s => s.organizationId,
  serviceAtLocationId: s => s.serviceAtLocationId,
  termId: s => s.termId,
  // the taxonomies are shared by every establishment: keywork's pathways, and its accommodation term
  taxonomyId: () => PATHWAY_TAXONOMY_ID,
  taxonomyTermId: () => PATHWAYS.find(p => p.code === 'accommodation')!.termId,
  hubId: s => String(s.hubId),
  roomId: s => String(s.roomId),
  bookingId: s => String(s.bookingId),
  worksheetId: s => String(s.worksheetId),
  slotId: s => String(s.slotId),
  referralId: s => String(s.referralId),
  emailId: s => String(s.emailId),
  outboxId: s => String(s.outboxId),
  criterionId: s => String(s.criterionId),
  localModuleId: s => String(s.localModuleId),
  courseId: s => String(s.courseId),
  completionId: s => String(s.completionId),
  certificateId: s => String(s.certificateId),
  sessionId: s => String(s.sessionId),
  calibrationId: s => String(s.calibrationId),
  supervisionId: s => String(s.supervisionId),
  // one item of the national library, published from this establishment's entry; one nomination waiting
  goodPracticeId: s => String(s.goodPracticeId),
  nominationId: s => String(s.nominationId),
  // good practice submitted by the establishment and waiting; a question its Supervising Officer asked
  submissionId: s => String(s.submissionId),
  questionId: s => String(s.questionId),
  flagId: s => String(s.flagId),
  entryId: s => String(s.journalEntryId),
  // the recruitment campaign of the establishment seeded above, and its candidate not yet scored
  campaignId: s => String(seededRecruitment[s.code].campaignId),
  candidateId: s => String(seededRecruitment[s.code].candidateId),
  // the national notice seeded above
  bulletinId: () => String(seededBulletinId),
  // the national trial seeded above (trials are national: the same in every establishment)
  trialId: () => '1',
  // the national survey round seeded above (rounds are national)
  roundId: () => '1',
}

/** Fills a route path's parameters with the records seeded in one establishment. */
export function resolvePath(path: string, s: Seeded): string {
  if (/[*{}()?+]/.test(path))
    throw new Error(
      `route ${path} uses wildcard or optional path syntax: test/fixtures.ts resolvePath does not know how to fill it`,
    )
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = PARAM_VALUES[name]
    if (!value)
      throw new Error(
        `route ${path} has parameter :${name}, which test/fixtures.ts PARAM_VALUES does not know: ` +
          `seed a record for it in seededWorld() and add :${name} to PARAM_VALUES`,
      )
    return encodeURIComponent(value(s))
  })
}

export const hasParams = (path: string) => /:\w/.test(path)

//! Realistic meetings for the export tests, built through the public API
//! with fixed timestamps, one on each shipped agenda.
#![allow(dead_code)]

use super::fixtures;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use hotwash::agenda::{Agenda, SectionKind};
use hotwash::meeting::{
    Command, Event, ItemId, Meeting, Outcome, OvertimeChoice, Participant, PulseQuestion, Stamped,
};

/// The room's offset in every meeting here: Central European Time in November.
pub const CET: i32 = 3600;

/// Every shipped agenda file, `agendas/*.toml`, in name order: read from
/// the directory, so a new agenda is checked without a test listing it.
pub fn shipped_agenda_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("agendas");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .expect("agendas/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "expected the three shipped agendas");
    files
}

/// The shipped agendas by file stem (`default`, `quick-30`, ...), loaded
/// from `agendas/*.toml`, so the goldens follow them.
pub fn shipped_agendas() -> Vec<(String, Agenda)> {
    shipped_agenda_files()
        .into_iter()
        .map(|path| {
            let stem = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let agenda = hotwash::agenda::load_file(&path)
                .unwrap_or_else(|err| panic!("a shipped agenda is refused: {err}"));
            (stem, agenda)
        })
        .collect()
}

fn agenda(name: &str, sections: &[(&str, &str, SectionKind, u64)]) -> Agenda {
    let mut agenda = fixtures::agenda(
        name,
        sections
            .iter()
            .map(|(id, title, kind, mins)| fixtures::section(id, title, *kind, *mins))
            .collect(),
    );
    agenda.ground_rules = vec!["We are here to learn, not to blame.".into()];
    agenda
}

fn shipped(file: &str) -> Agenda {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("agendas")
        .join(file);
    hotwash::agenda::load_file(&path).expect("a shipped agenda is valid")
}

/// Where the first section of `kind` is in `agenda`.
pub fn index_of(agenda: &Agenda, kind: SectionKind) -> usize {
    agenda
        .sections
        .iter()
        .position(|s| s.kind == kind)
        .unwrap_or_else(|| panic!("{} has no {kind} section", agenda.name))
}

/// The default agenda's timeline section.
pub fn default_timeline() -> usize {
    index_of(&default_agenda(), SectionKind::Timeline)
}

/// The default agenda, as shipped.
pub fn default_agenda() -> Agenda {
    shipped("default.toml")
}

/// The 30-minute quick review, as shipped.
pub fn quick_agenda() -> Agenda {
    shipped("quick-30.toml")
}

/// The 90-minute Sev-1 review, as shipped.
pub fn sev1_agenda() -> Agenda {
    shipped("sev1-90.toml")
}

/// A meeting driven by commands at a clock that only moves when told.
pub struct Room {
    pub m: Meeting,
    pub now: DateTime<Utc>,
    pub log: Vec<Stamped>,
}

impl Room {
    /// A meeting about `incident` that starts at `start`.
    pub fn new(
        incident: &str,
        agenda: &Agenda,
        people: &[(&str, Option<&str>)],
        start: DateTime<Utc>,
    ) -> Room {
        let people: Vec<Participant> = people
            .iter()
            .map(|(name, role)| Participant {
                name: (*name).into(),
                role: role.map(Into::into),
            })
            .collect();
        let first = fixtures::start_event(incident, agenda, &people, CET, start);
        Room {
            m: fixtures::begin(&first),
            now: start,
            log: vec![first],
        }
    }

    /// Lets `secs` seconds pass.
    pub fn wait(&mut self, secs: i64) -> &mut Self {
        self.now += TimeDelta::seconds(secs);
        self
    }

    /// Carries out a command; a refusal is a bug in the script.
    pub fn run(&mut self, cmd: Command) -> &mut Self {
        let ev = self
            .m
            .record(cmd.clone(), self.now)
            .unwrap_or_else(|r| panic!("{cmd:?} refused: {r}"));
        self.log.extend(ev);
        self
    }

    /// Captures an item in the current section, 20 s after the last thing.
    pub fn add(&mut self, text: &str) -> &mut Self {
        self.wait(20).run(Command::Add(text.into()))
    }

    /// Parks a tangent, 10 s after the last thing.
    pub fn park(&mut self, text: &str) -> &mut Self {
        self.wait(10).run(Command::Park(text.into()))
    }

    /// Marks participant `p` (0-based) as speaking.
    pub fn speak(&mut self, p: usize) -> &mut Self {
        self.run(Command::Speaker(Some(p)))
    }

    /// Moves to the next section after `secs` seconds.
    pub fn next_after(&mut self, secs: i64) -> &mut Self {
        self.wait(secs).run(Command::NextSection)
    }

    /// The id of the last item captured.
    pub fn last_id(&self) -> ItemId {
        self.m.next_item_id() - 1
    }
}

/// 14:00 UTC (15:00 in the room) on Monday 23 November 2026, the day after
/// the night of the incident.
pub fn afternoon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0)
        .single()
        .expect("a valid instant")
}

/// The default agenda: a checkout outage during the night before.
pub fn default_meeting() -> Meeting {
    let mut r = Room::new(
        "Checkout outage: payment provider timeouts",
        &default_agenda(),
        &[
            ("Ana Silva", Some("incident commander")),
            ("Ben Okafor", Some("scribe")),
            ("Chen Wei", Some("service owner, payments")),
            ("Dee Larsen", Some("support lead")),
        ],
        afternoon(),
    );
    // Opening.
    r.wait(90).run(Command::ToggleTimer).speak(0);
    r.add("Scope: the checkout outage of 22-23 November, 23:42 to 01:15.")
        .add("Not for today: the payment provider contract review.");
    r.wait(150).speak(3).wait(40);
    // Impact.
    r.next_after(20).speak(0);
    r.add("About 1 in 6 checkout payments failed for 1 h 16 min, 23:50 to 01:06.")
        .add("Support took 212 chats about failed payments; no double charges found.");
    r.wait(200);
    // Timeline.
    r.next_after(20).speak(2);
    r.add("2026-11-22 23:42 deploy of checkout v42 starts https://ci.example.com/runs/8812")
        .add("2026-11-22 23:50 error rate on /pay crosses 5% https://grafana.example.com/d/checkout?orgId=1&from=now-6h")
        .add("00:03 pager fires for checkout latency; Ben acknowledges")
        .speak(1)
        .add("00:20 rollback to v41 started https://ci.example.com/runs/8815")
        .add("00:58 error rate back under 1%")
        .speak(3)
        .add("Customers reported failed payments in support chat before the page")
        .add("01:15 incident closed");
    let closed = r.last_id();
    r.wait(30)
        .run(Command::Edit(
            closed,
            "01:15 incident closed, status page updated".into(),
        ))
        .add("00:10 someone restarted the pods");
    let blamey = r.last_id();
    r.wait(15).run(Command::Delete(blamey));
    r.speak(1)
        .park("Should we move to a second payment provider?");
    r.wait(700)
        .run(Command::Overtime(OvertimeChoice::KeepGoing {
            extra_secs: 300,
        }))
        .wait(200);
    // Factors.
    r.next_after(30).speak(2);
    r.add("Connection pool sized for last year's peak traffic +technology +capacity")
        .add("No load test before the peak-season release +process")
        .speak(0)
        .add("Latency alert fired 13 minutes after errors began +monitoring")
        .add("Retries without backoff multiplied load on the provider +technology");
    r.speak(3)
        .park("Support had no way to page engineering directly");
    // The room dot-votes: the late alert and the missing load test lead.
    let factors: Vec<ItemId> = r.m.items_in(r.m.current()).iter().map(|i| i.id).collect();
    r.wait(600).run(Command::OpenVote);
    for f in [2, 2, 1, 2, 0, 1, 3, 2, 1, 0, 2] {
        r.wait(5).run(Command::Vote(factors[f]));
    }
    r.wait(30).run(Command::CloseVote).wait(240);
    // What went well.
    r.next_after(20).speak(1);
    r.add("Rollback took under 20 minutes from decision to done")
        .add("Support posted a status update within 10 minutes of the page");
    r.wait(180).run(Command::AddParticipant(Participant {
        name: "Eli Novak".into(),
        role: Some("SRE".into()),
    }));
    // Where we got lucky.
    r.next_after(20).speak(4);
    r.add("The outage began after the evening peak, when traffic was already falling.");
    r.wait(120);
    // Actions.
    r.next_after(30).speak(2);
    r.add("@chen !P1 due:2026-12-06 #PAY-431 resize the connection pool and alert at 80% use")
        .add("@eli !P1 due:+1w #OPS-77 add exponential backoff to provider retries")
        .speak(0)
        .add("!P2 add a load test to the peak-season release checklist")
        .add("@dee !P2 due:+2w publish a customer FAQ for failed payments")
        .add("@ben !P3 write the rollback runbook for checkout");
    r.wait(700)
        .run(Command::Overtime(OvertimeChoice::MoveOn))
        .speak(1);
    // Parking lot review.
    let parked: Vec<ItemId> = r.m.parked().iter().map(|i| i.id).collect();
    r.wait(60)
        .run(Command::SetOutcome(parked[0], Some(Outcome::FollowUp)))
        .wait(90)
        .run(Command::SetOutcome(parked[1], Some(Outcome::Action)));
    r.wait(60);
    // Close.
    r.next_after(30).speak(0);
    r.add("Actions recapped with their owners; Ana circulates the minutes by Tuesday.");
    // The learning pulse: five answers to each question.
    r.wait(20).run(Command::OpenPulse);
    for (q, n) in [
        (PulseQuestion::Voice, [4, 5, 3, 4, 5]),
        (PulseQuestion::Time, [4, 4, 2, 5, 3]),
    ] {
        for score in n {
            r.wait(2).run(Command::Pulse(q, score));
        }
    }
    r.wait(10).run(Command::ClosePulse);
    r.wait(60)
        .run(Command::Speaker(None))
        .run(Command::ToggleTimer);
    r.m
}

/// The quick agenda: a near miss on a certificate.
pub fn quick_meeting() -> Meeting {
    let mut r = Room::new(
        "Near miss: API gateway certificate 2 days from expiry",
        &quick_agenda(),
        &[
            ("Fay Moreau", Some("facilitator")),
            ("Gus Patel", None),
            ("Hal Berg", Some("platform on-call")),
        ],
        afternoon() + TimeDelta::hours(2),
    );
    r.wait(30).run(Command::ToggleTimer).speak(0);
    r.add("Near miss, no customer impact.");
    // Impact.
    r.next_after(60).speak(1);
    r.add("None for customers: the certificate was renewed 2 days before it expired.");
    r.next_after(120).speak(2);
    r.add("09:12 expiry warning email lands in a shared inbox nobody reads")
        .add("10:40:30 Hal notices the warning in the gateway dashboard https://grafana.example.com/d/gw-certs")
        .add("11:05 certificate renewed by hand");
    r.speak(1).park("Do we still need the shared inbox at all?");
    r.next_after(300).speak(0);
    r.add("Renewal automation silently stopped after the DNS provider change +process +automation")
        .add("Expiry alerts go to email, not the pager +monitoring");
    // Where we got lucky.
    r.next_after(400).speak(1);
    r.add("Hal happened to open the certificates dashboard for another reason.");
    r.next_after(100).speak(2);
    r.add("@hal !P1 due:+3d #PLAT-1201 alert on certificates expiring within 14 days")
        .add("@gus due:2026-12-01 restore renewal automation for the new DNS provider");
    r.next_after(300).speak(1);
    let parked = r.m.parked()[0].id;
    r.wait(45)
        .run(Command::SetOutcome(parked, Some(Outcome::Dropped)))
        .add("Short and useful; thanks all.");
    r.wait(60).run(Command::ToggleTimer);
    r.m
}

/// The Sev-1 agenda: a long EU login outage.
pub fn sev1_meeting() -> Meeting {
    let mut r = Room::new(
        "Sev-1: EU login failures after identity provider failover",
        &sev1_agenda(),
        &[
            ("Ines Duarte", Some("incident commander")),
            ("Jon Park", Some("scribe")),
            ("Kemi Adeyemi", Some("identity team")),
            ("Lars Holm", Some("communications")),
            ("Mia Chen", None),
        ],
        afternoon() - TimeDelta::hours(4),
    );
    r.wait(120).run(Command::ToggleTimer).speak(0);
    r.add("Ground rules read and agreed.")
        .add("Customer-facing Sev-1: blameless review, minutes shared company-wide.");
    // Impact.
    r.next_after(200).speak(3);
    r.add("About 41% of EU logins failed for 2 h 10 min.\nMobile apps retried and drained batteries (support tickets mention it).")
        .add("Peak: 18,400 failed logins per minute at 07:40.")
        .speak(4)
        .add("Two enterprise customers invoked the SLA credit clause.");
    r.wait(400);
    // Timeline.
    r.next_after(20).speak(2);
    r.add("06:58 planned failover of the identity provider to the secondary region https://wiki.example.com/change/CHG-2207")
        .add("07:02 login error rate rises in eu-west https://grafana.example.com/d/login?var-region=eu-west")
        .add("07:31 on-call paged by the SLO burn-rate alert")
        .add("07:45 status page: investigating")
        .speak(0)
        .add("08:20 root cause candidate: stale signing keys cached by the gateway")
        .add("08:52 gateway cache flushed; errors fall")
        .add("09:12 incident resolved")
        .speak(4)
        .add("First customer tweet about failed logins");
    r.wait(1100)
        .run(Command::Overtime(OvertimeChoice::KeepGoing {
            extra_secs: 0,
        }))
        .wait(240);
    // Factors.
    r.next_after(20).speak(2);
    r.add("Gateway caches signing keys for 24 h with no invalidation on failover +technology")
        .add("Failover runbook has no step to check logins afterwards +process +runbook")
        .speak(1)
        .add("Burn-rate alert needed 29 minutes to fire at this error rate +monitoring");
    r.speak(4)
        .park("Is 24 h key caching a compliance requirement?");
    r.wait(1000);
    // Communication.
    r.next_after(20).speak(3);
    r.add("First status page post 43 minutes after impact began.")
        .add("Enterprise customers heard from their account managers before the status page.");
    r.wait(250);
    // External message, in its three parts.
    r.next_after(20).speak(0);
    r.add("Summary: on Sunday 22 November, from 07:02 to 09:12 CET, about 41% of logins in Europe failed. It is resolved.")
        .add("What happened: a planned switch to our backup sign-in system left an old security key in use, so many sign-ins were refused.")
        .speak(2)
        .add("What we are doing about it: the switch now refreshes those keys, and a sign-in check runs after every switch, both by 7 December.");
    r.wait(300);
    // Went well.
    r.next_after(20).speak(1);
    r.add("Identity team joined within 5 minutes of the page.");
    r.wait(200);
    // Where we got lucky.
    r.next_after(20).speak(3);
    r.add("The failover ran early on a Sunday, not at Monday's login peak.");
    r.wait(150);
    // Actions.
    r.next_after(20).speak(2);
    r.add("@kemi !P1 due:+1w #IAM-88 invalidate gateway key cache on identity failover")
        .add("@jon !P1 due:+2w #IAM-89 add a login smoke test to the failover runbook")
        .add("@lars !P2 due:2026-12-15 status page template for login incidents")
        .add("!P2 tune burn-rate alert windows for fast burns");
    r.wait(500);
    // Parking lot review.
    r.next_after(20).speak(0);
    r.park("Who owns the gateway's cache settings?");
    let compliance = r.m.parked()[0].id;
    r.wait(120)
        .run(Command::SetOutcome(compliance, Some(Outcome::FollowUp)))
        .wait(80);
    // Close.
    r.next_after(20);
    r.add("Ines sends the minutes; follow-up review of actions in two weeks.");
    r.wait(60).run(Command::ToggleTimer);
    r.m
}

/// Text written to break a Markdown document: every construct a scribe
/// could type by accident, and some no scribe would.
pub const HOSTILE: &[&str] = &[
    "a | b || c \\| d",
    "`rm -rf /` and ``double`` ticks",
    "# not a heading\n## nor this\n---\n===",
    "<script>alert(1)</script> <b>bold</b> &amp; &#x27; <!-- c -->",
    "*em* _em_ **strong** ~~gone~~ [link](https://evil.example) ![img](x.png)",
    "- a list\n+ another\n1. ordered\n2) ordered",
    "> quote\n>> nested",
    "    indented code\n\ttabbed",
    "```\nfenced\n```\n~~~",
    "https://bare.example/a|b www.example.com ana@example.com",
    "line ends with backslash \\\nand two spaces  \nend",
    "[ref]: https://example.com \"title\"\n[^1]: footnote",
    "| --- | --- |\n| fake | row |",
    "controls \u{1b}[31mred\u{1b}[0m \u{7}bell \u{0}nul \u{9b}2J",
    "emoji 👩‍👩‍👧 wide 出口 rtl שלום \u{202e}override",
    "trailing hashes ##",
    "\u{a0}nbsp\u{3000}ideographic space",
    ":::: colons :: and ::",
];

/// A meeting whose every field holds hostile text: items in every kind of
/// section, parsed fields, names, roles, titles.
pub fn hostile_meeting() -> Meeting {
    let mut a = default_agenda();
    for (s, t) in a.sections.iter_mut().zip(HOSTILE) {
        s.title = format!("{} {}", s.title, t);
    }
    let mut r = Room::new(
        "<b>|Outage|</b> `#1` *again*!",
        &a,
        &[
            ("# Ana | <i>", Some("`IC` | *lead*")),
            ("Ben\nNewline", None),
            ("- Chen", Some("[x](y)")),
        ],
        afternoon(),
    );
    r.run(Command::ToggleTimer).speak(1);
    for section in 0..a.sections.len() {
        for t in HOSTILE {
            r.add(t);
            let kind = a.sections[section].kind;
            match kind {
                SectionKind::Timeline => {
                    r.add(&format!("10:00 {t} https://x.example/a|b`c<d>e\"f"));
                }
                SectionKind::Actions => {
                    r.add(&format!("@o|wn !P1 due:+1d #T-1 {t}"));
                }
                SectionKind::Factors => {
                    r.add(&format!("{t} +tag_with_under +x-y"));
                }
                _ => {}
            }
        }
        r.park(HOSTILE[section % HOSTILE.len()]);
        if section + 1 < a.sections.len() {
            r.next_after(30);
        }
    }
    r.m
}

/// A meeting replayed from a journal that was edited by hand: its text
/// never went through the input boundary's sanitiser.
pub fn unsanitised_meeting() -> Meeting {
    let at = afternoon();
    let events = vec![
        Event::MeetingStarted {
            incident: "raw \u{1b}]0;title\u{7} incident".into(),
            agenda: default_agenda(),
            people: vec![Participant {
                name: "Ana\u{1b}[2J".into(),
                role: Some("r\u{0}ole".into()),
            }],
            utc_offset_secs: CET,
        },
        Event::ItemAdded {
            id: 1,
            section: 0,
            text: "note \u{1b}[31mred\u{7}\u{0} end".into(),
        },
        Event::SectionEntered { section: 1 },
        Event::ItemAdded {
            id: 2,
            section: 1,
            text: "10:00 event \u{85}x https://a.example/\u{1b}[0m".into(),
        },
        Event::SectionEntered { section: 4 },
        Event::ItemAdded {
            id: 3,
            section: 4,
            text: "@ana due:+1d fix \u{9b}2J it".into(),
        },
        Event::ItemAdded {
            id: 5,
            section: 0,
            text: "\u{1b}[2J\u{7}".into(),
        },
        Event::TangentParked {
            id: 4,
            section: 4,
            text: "tangent \u{1b}P payload \u{1b}\\ after".into(),
            raised_by: Some(0),
        },
    ];
    let stamped: Vec<Stamped> = events
        .into_iter()
        .enumerate()
        .map(|(n, event)| Stamped {
            at: at + TimeDelta::seconds(n as i64 * 10),
            event,
        })
        .collect();
    Meeting::replay(&stamped).expect("the journal starts with a meeting")
}

/// A meeting just begun: no one on the roster, nothing captured, no timer.
pub fn empty_meeting() -> Meeting {
    Room::new("", &default_agenda(), &[], afternoon()).m
}

/// Agendas no template has: repeated titles, two timelines and two
/// parking-lot reviews; then no parking-lot review at all.
pub fn odd_meetings() -> Vec<Meeting> {
    use SectionKind::*;
    let twice = agenda(
        "Odd",
        &[
            ("a", "Notes", Notes, 1),
            ("b", "Notes", Notes, 1),
            ("c", "Timeline", Timeline, 1),
            ("d", "Timeline", Timeline, 1),
            ("e", "Parked", ParkingLot, 1),
            ("f", "Parked", ParkingLot, 1),
        ],
    );
    let none = agenda(
        "No parking lot",
        &[("a", "Notes", Notes, 1), ("c", "Timeline", Timeline, 1)],
    );
    [twice, none]
        .iter()
        .map(|a| {
            let mut r = Room::new("Odd one", a, &[("Solo", None)], afternoon());
            r.run(Command::ToggleTimer).speak(0);
            r.park("a tangent");
            for (i, s) in a.sections.iter().enumerate() {
                if i > 0 {
                    r.next_after(30);
                }
                match s.kind {
                    Timeline if i % 2 == 0 => r.add("12:00 noon https://a.example/x"),
                    Timeline => r.add("no time here"),
                    _ => r.add(&format!("a note in {}", s.id)),
                };
            }
            r.park("another tangent");
            r.m
        })
        .collect()
}

/// Every meeting the format checks run on, by name.
pub fn all_meetings() -> Vec<(&'static str, Meeting)> {
    [
        ("default", default_meeting()),
        ("quick-30", quick_meeting()),
        ("sev1-90", sev1_meeting()),
        ("hostile", hostile_meeting()),
        ("unsanitised", unsanitised_meeting()),
        ("empty", empty_meeting()),
        ("incident", incident_meeting()),
    ]
    .into_iter()
    .chain(["odd-twice", "odd-none"].into_iter().zip(odd_meetings()))
    .collect()
}

/// A meeting with every incident field set (some of them hostile), key
/// moments, a prepared event and a roster correction, on the Sev-1 agenda
/// whose sections fill the impact, external message and what went well.
pub fn incident_meeting() -> Meeting {
    use hotwash::meeting::{IncidentField, Link, Status};
    let mut r = Room::new(
        "Login failures | EU",
        &sev1_agenda(),
        &[("Ana", Some("IC")), ("Ben", None), ("Chen", None)],
        afternoon(),
    );
    let started = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .and_then(|d| d.and_hms_opt(23, 30, 0))
        .expect("a valid start");
    for change in [
        IncidentField::Started(Some(started)),
        IncidentField::Severity(Some("SEV1 | *major*".into())),
        IncidentField::Owner(Some("Ana <ana@example.com>".into())),
        IncidentField::Status(Status::InReview),
        IncidentField::Summary(Some(
            "# Not a heading\n- nor a list: `rm -rf /` $(id)".into(),
        )),
        IncidentField::Impact(Some("41% of logins failed".into())),
        IncidentField::Links(vec![
            Link::parse("https://t.example/INC-1?a=1&b=<2> [ticket](javascript:alert(1))")
                .expect("a link"),
            Link::parse("https://chat.example/c/inc-1").expect("a link"),
        ]),
    ] {
        r.run(Command::SetIncident(change));
    }
    r.run(Command::Prepare(
        2,
        "23:31 errors begin !began https://g.example/d/1".into(),
    ));
    r.run(Command::Rename(1, "Ben Okafor".into()));
    r.run(Command::SetLeft(2, true));
    r.next_after(60).add("impact note from the room");
    r.next_after(60)
        .add("23:52 pager fires !detected")
        .add("00:40 traffic drained !mitigated")
        .add("2026-11-23 01:15 all clear !resolved");
    r.m
}

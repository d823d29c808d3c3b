//! Importing people from a CSV file (the format is in [`crate::linkage`]): all or nothing, and
//! never twice by accident.
//!
//! - **All or nothing.** Every row is checked before anything is stored, and the whole file is
//!   then stored in ONE transaction: a failure, or the process being killed part way, leaves
//!   no one. The price: while a large file is stored the database's writers wait for it
//!   (SQLite has one writer; on PostgreSQL the event log's chain lock is held), about as long
//!   as the import takes. Import large files outside working hours.
//! - **Never twice by accident.** The file is remembered by the SHA-256 of its bytes: the same
//!   file again is refused, saying when it was imported, unless the import is asked for
//!   deliberately (`again`). A row whose LA person id the authority already uses refuses the
//!   whole file, naming each such line: a re-import of some of the same people is a mistake to
//!   look at, not something to half-do.
//! - Concurrent imports are serialised (see [`imports::lock_imports`]), so two imports of one
//!   file at the same moment store it once: the second is refused as a repeat.

use crate::linkage::{check_for_import, counter_number, read_person_rows, CsvError, Problems};
use crate::{App, AppError, CsvProblem};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::ids::AuthorityId;
use frontdoor_store::events::NewEvent;
use frontdoor_store::imports::{self, PersonImport};
use frontdoor_store::{bulk, StoreError};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::time::{Duration, Instant};
use thiserror::Error;
use uuid::Uuid;

/// How often (in people stored) an import reports its progress.
const PROGRESS_EVERY: usize = 1_000;

/// Why an import stored nothing. (An import never stores part of a file.)
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Read(#[source] io::Error),
    /// The file is wrong, or some of its LA person ids are in use: nothing was stored.
    #[error("{0} Nothing was imported: correct the file and import it again.")]
    Csv(CsvError),
    /// This exact file was imported into the authority before.
    #[error("this file was already imported into this authority on {imported_at} (London time) as {file_name}, {people} people; nothing was imported. Importing it again would store its people a second time: if that is really wanted, import it again deliberately (`frontdoor persons import --again`).")]
    AlreadyImported {
        imported_at: String,
        file_name: String,
        people: i64,
        previous: Box<PersonImport>,
    },
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<CsvError> for ImportError {
    fn from(error: CsvError) -> Self {
        ImportError::Csv(error)
    }
}

impl From<crate::CsvReadError> for ImportError {
    fn from(error: crate::CsvReadError) -> Self {
        match error {
            crate::CsvReadError::Read(e) => ImportError::Read(e),
            crate::CsvReadError::Csv(e) => ImportError::Csv(e),
        }
    }
}

impl From<StoreError> for ImportError {
    fn from(error: StoreError) -> Self {
        ImportError::App(AppError::from(error))
    }
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// People created (each with a `person_created` event), in one transaction.
    pub people: usize,
    /// Lower-case hex SHA-256 of the file.
    pub file_sha256: String,
    /// Earlier imports of the same file (only when imported `again`).
    pub imported_before: Vec<PersonImport>,
    pub elapsed: Duration,
}

/// How to import.
#[derive(Default)]
pub struct ImportOptions<'a> {
    /// The file's name, recorded beside its hash for the operator.
    pub file_name: String,
    /// Import even though this exact file was imported before.
    pub again: bool,
    /// Told `(stored, total)` every [`PROGRESS_EVERY`] people while the transaction is open
    /// (nothing is visible to others until the end).
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// Lower-case hex SHA-256 of a file's bytes.
pub fn file_sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

impl App {
    /// Imports people from a CSV file with the default options (refusing a file imported
    /// before); see [`App::import_people`].
    pub async fn import_people_csv(
        &self,
        actor: Option<&Actor>,
        authority: AuthorityId,
        reader: impl Read,
    ) -> Result<ImportReport, ImportError> {
        self.import_people(actor, authority, reader, &ImportOptions::default())
            .await
    }

    /// Imports people from a CSV file (see [`crate::linkage`] for the columns) into an
    /// authority: by a worker allowed to import, or by the operator (`actor` `None`, from the
    /// command line). Every row is checked before anything is stored; a file with any error,
    /// or with LA person ids already in use, stores no one, and the error names each problem's
    /// line and column. A valid file is stored in one transaction, each person with their
    /// search keys and a `person_created` event, and the file (by its hash) with a
    /// `people_imported` event. Rows with an LA person id keep it (a migration keeps the
    /// previous system's ids); the others take the next one.
    pub async fn import_people(
        &self,
        actor: Option<&Actor>,
        authority: AuthorityId,
        mut reader: impl Read,
        options: &ImportOptions<'_>,
    ) -> Result<ImportReport, ImportError> {
        let started = Instant::now();
        if let Some(actor) = actor {
            authorize(actor, Action::ImportPeople, &Resource::authority(authority))
                .require()
                .map_err(AppError::from)?;
        }
        self.store
            .authority(authority)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let mut data = Vec::new();
        reader.read_to_end(&mut data).map_err(ImportError::Read)?;
        let file_sha256 = file_sha256(&data);
        let mut problems = Problems::default();
        let rows = read_person_rows(&data, &mut problems, crate::linkage::Reading::Strict);
        let rows = check_for_import(rows, problems)?;
        drop(data);

        let mut tx = self.store.begin().await?;
        imports::lock_imports(&mut tx).await?;
        let imported_before = imports::imports_of_file(&mut tx, authority, &file_sha256).await?;
        if let (Some(last), false) = (imported_before.first(), options.again) {
            return Err(ImportError::AlreadyImported {
                imported_at: london_text(last.imported_at),
                file_name: last.file_name.clone(),
                people: last.people,
                previous: Box::new(last.clone()),
            });
        }
        let given: Vec<String> = rows.iter().filter_map(|r| r.la_person_id.clone()).collect();
        let in_use = imports::existing_la_person_ids_in(&mut tx, authority, &given).await?;
        if !in_use.is_empty() {
            let in_use: std::collections::HashSet<String> = in_use.into_iter().collect();
            let mut problems = Problems::default();
            for row in &rows {
                if row
                    .la_person_id
                    .as_ref()
                    .is_some_and(|id| in_use.contains(id))
                {
                    problems.add(CsvProblem::new(
                        row.line,
                        Some("la_person_id"),
                        "is already the LA person id of someone in this authority (was the file, or part of it, imported before?)",
                    ));
                }
            }
            problems.finish()?;
        }
        if let Some(floor) = rows
            .iter()
            .filter_map(|r| r.la_person_id.as_deref().and_then(counter_number))
            .max()
        {
            // Numbers the counter gives later must not collide with imported ids.
            bulk::raise_counter(&mut tx, authority, "person", floor).await?;
        }

        let worker = actor.map(|a| a.worker);
        let total = rows.len();
        for (index, row) in rows.iter().enumerate() {
            self.insert_person_for(
                &mut tx,
                authority,
                worker,
                &row.input,
                row.la_person_id.as_deref(),
            )
            .await?;
            if let Some(progress) = options.progress {
                let stored = index + 1;
                if stored % PROGRESS_EVERY == 0 || stored == total {
                    progress(stored, total);
                }
            }
        }
        let import = PersonImport {
            id: Uuid::now_v7(),
            authority,
            file_sha256: file_sha256.clone(),
            file_name: options.file_name.clone(),
            people: i64::try_from(total).unwrap_or(i64::MAX),
            imported_by: worker,
            imported_at: self.now(),
        };
        imports::insert_import(&mut tx, &import).await?;
        NewEvent::new(authority, import.imported_at, "people_imported", import.id)
            .recorded_by(worker)
            .with(json!({
                "file_sha256": import.file_sha256,
                "file_name": import.file_name,
                "people": import.people,
                "again": !imported_before.is_empty(),
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        tracing::info!(people = total, "people imported");
        Ok(ImportReport {
            people: total,
            file_sha256,
            imported_before,
            elapsed: started.elapsed(),
        })
    }
}

/// An instant as London wall-clock text, e.g. `2026-03-02 10:42`.
fn london_text(at: DateTime<Utc>) -> String {
    crate::london(at).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewAuthority, Settings};
    use frontdoor_domain::clock::SystemClock;
    use std::sync::Arc;

    /// Runs four imports concurrently (interleaved on one task: each holds its own pooled
    /// connection, so their transactions overlap at the database).
    async fn futures_join4<A, B, C, D, T>(a: A, b: B, c: C, d: D) -> Vec<T>
    where
        A: std::future::Future<Output = T>,
        B: std::future::Future<Output = T>,
        C: std::future::Future<Output = T>,
        D: std::future::Future<Output = T>,
    {
        let (a, b, c, d) = tokio::join!(a, b, c, d);
        vec![a, b, c, d]
    }

    const HEADER: &str = "id,given_name,family_name,previous_family_names,date_of_birth,sex,postcode,nhs_number,la_person_id,upn\n";

    #[tokio::test]
    async fn a_file_is_imported_once_unless_asked_again_on_every_backend() {
        for db in frontdoor_store::testing::all_backends()
            .await
            .expect("databases")
        {
            let app = App::new(db.store.clone(), Arc::new(SystemClock), Settings::default());
            let authority = app
                .create_authority(&NewAuthority {
                    code: "onceshire".into(),
                    name: "Onceshire Council".into(),
                    front_door_teams: vec!["MASH".into()],
                    other_teams: vec![],
                    partners: vec![],
                })
                .await
                .expect("authority");
            let file = format!(
                "{HEADER}a1,Ann,Lee,,2014-03-12,female,,,,\na2,Bob,Lee,,2015-04-01,male,,,,\n"
            );
            let options = ImportOptions {
                file_name: "people.csv".into(),
                ..Default::default()
            };
            let first = app
                .import_people(None, authority, file.as_bytes(), &options)
                .await
                .expect("first import");
            assert_eq!(first.people, 2);
            assert!(first.imported_before.is_empty());
            assert_eq!(first.file_sha256, file_sha256(file.as_bytes()));

            let again = app
                .import_people(None, authority, file.as_bytes(), &options)
                .await;
            match again {
                Err(ImportError::AlreadyImported {
                    people, file_name, ..
                }) => assert_eq!((people, file_name.as_str()), (2, "people.csv")),
                other => panic!("{other:?}"),
            }
            assert_eq!(app.store.person_count(authority).await.expect("count"), 2);

            let deliberate = app
                .import_people(
                    None,
                    authority,
                    file.as_bytes(),
                    &ImportOptions {
                        again: true,
                        ..Default::default()
                    },
                )
                .await
                .expect("imported again deliberately");
            assert_eq!(deliberate.imported_before.len(), 1);
            assert_eq!(app.store.person_count(authority).await.expect("count"), 4);

            // A file with an LA person id in use stores no one, naming the line.
            let clash = format!(
                "{HEADER}b1,Cat,Ray,,2014-03-12,female,,,P0000001,\nb2,Dan,Ray,,2015-04-01,male,,,Z9,\n"
            );
            match app
                .import_people_csv(None, authority, clash.as_bytes())
                .await
            {
                Err(ImportError::Csv(e)) => {
                    assert_eq!(e.problems.len(), 1, "{e}");
                    assert_eq!(e.problems[0].line, 2, "{e}");
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(app.store.person_count(authority).await.expect("count"), 4);
            // Four imports of one new file at the same moment store it once: the others wait
            // for the first (the import lock), then see it recorded.
            let fresh = format!(
                "{HEADER}c1,Eve,Rowe,,2014-03-12,female,,,,\nc2,Fay,Rowe,,2015-04-01,female,,,,\n"
            );
            let attempts = futures_join4(
                app.import_people_csv(None, authority, fresh.as_bytes()),
                app.import_people_csv(None, authority, fresh.as_bytes()),
                app.import_people_csv(None, authority, fresh.as_bytes()),
                app.import_people_csv(None, authority, fresh.as_bytes()),
            )
            .await;
            let winners = attempts.iter().filter(|r| r.is_ok()).count();
            let repeats = attempts
                .iter()
                .filter(|r| matches!(r, Err(ImportError::AlreadyImported { .. })))
                .count();
            assert_eq!((winners, repeats), (1, 3), "{}: {attempts:?}", db.backend());
            assert_eq!(app.store.person_count(authority).await.expect("count"), 6);
            let report = app.verify_audit_trail().await.expect("verify");
            assert!(report.is_intact(), "{}", db.backend());
            db.remove().await;
        }
    }
}

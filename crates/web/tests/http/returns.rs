//! The Children in Need census over HTTP on both backends: a child referred this year without
//! a primary need is an error naming the child (API and page, with a link to the child); the
//! XML downloads; only returns staff see it; a year that is not a year is a 422 naming the field.
//! Ofsted's Annex A: the lists counted, the workbook and CSVs downloaded with their types and
//! names, 401 without a session and 403 for every other role, a bad date refused.

use crate::child_protection::authorised_strategy;
use crate::support::{api_token, client, get_json, page, servers, signed_in_browser, status_of};
use frontdoor_app::NewWorker;
use frontdoor_domain::authorization::Role;
use frontdoor_domain::returns::cin_census::CensusYear;
use reqwest::StatusCode;

/// A quality assurance officer, "qa", who prepares the returns.
async fn add_qa(server: &crate::support::Server) {
    server
        .app
        .add_worker_as_operator(&NewWorker {
            authority: server.authority,
            username: "qa".into(),
            display_name: "qa".into(),
            role: Role::QualityAssuranceOfficer,
            team: None,
            organisation: None,
            asye: false,
            password: crate::support::PASSWORD.into(),
        })
        .await
        .expect("QA officer");
}

#[tokio::test]
async fn the_census_names_each_child_with_an_error_and_only_returns_staff_see_it() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        add_qa(&server).await;
        authorised_strategy(&server).await;
        // This year's census (not yet complete): the referral's episode is in it.
        let year =
            CensusYear::latest_complete(frontdoor_app::london_date(chrono::Utc::now())).year() + 1;
        let qa = api_token(&server, "qa").await;
        let census = get_json(
            &server,
            &qa,
            &format!("/api/returns/cin-census?year={year}"),
        )
        .await;
        assert_eq!(census["year"], year);
        assert_eq!(census["children"], 1);
        let need = census["issues"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["code"] == "8610")
            .expect("the missing primary need is an error");
        assert_eq!(need["kind"], "error");
        let person = need["child"]["person"].as_str().expect("the child");

        let (browser, _) = signed_in_browser(&server, "qa").await;
        let html = page(
            &server,
            &browser,
            &format!("/returns/cin-census?year={year}"),
        )
        .await;
        assert!(html
            .contains("Primary Need code is missing for a referral which led to further action."));
        assert!(html.contains(&format!("href=\"/people/{person}\"")));
        let download = browser
            .get(server.url(&format!("/returns/cin-census.xml?year={year}")))
            .send()
            .await
            .expect("download");
        assert_eq!(download.status(), StatusCode::OK);
        assert!(download.headers()["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .contains(&format!("cin-census-{year}.xml")));
        assert!(download.text().await.expect("xml").contains("<CINdetails>"));

        let (status, body) = status_of(
            client()
                .get(server.url("/api/returns/cin-census?year=twenty"))
                .bearer_auth(&qa),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("year"), "{body}");

        let worker = api_token(&server, "worker").await;
        let (status, _) = status_of(
            client()
                .get(server.url("/api/returns/cin-census"))
                .bearer_auth(&worker),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (worker_browser, _) = signed_in_browser(&server, "worker").await;
        let refused = worker_browser
            .get(server.url("/returns/cin-census"))
            .send()
            .await
            .expect("page");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
}

/// Annex A over HTTP on both backends: the summary counts the lists (API and page); the
/// workbook and each CSV download with their type and file name (page session and API token);
/// no session is 401, every role but returns staff 403; a date that is not a date is a 422
/// naming the field (API) or an error beside the field (page).
#[tokio::test]
async fn annex_a_counts_the_lists_downloads_the_files_and_only_returns_staff_see_it() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        add_qa(&server).await;
        authorised_strategy(&server).await;
        let today = frontdoor_app::london_date(chrono::Utc::now()).to_string();
        let qa = api_token(&server, "qa").await;
        let summary = get_json(&server, &qa, &format!("/api/returns/annex-a?date={today}")).await;
        assert_eq!(summary["inspection_date"], today.as_str());
        let lists = summary["lists"].as_array().cloned().unwrap_or_default();
        assert_eq!(lists.len(), 7);
        assert_eq!(lists[0]["name"], "List 1");
        assert_eq!(lists[0]["rows"], 1, "the contact");
        assert_eq!(lists[2]["rows"], 1, "the referral");

        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let (browser, _) = signed_in_browser(&server, "qa").await;
        let html = page(&server, &browser, &format!("/returns/annex-a?date={today}")).await;
        assert!(html.contains(&format!("/returns/annex-a.xlsx?date={today}")));
        assert!(html.contains(&format!("/returns/annex-a/list-3.csv?date={today}")));
        for (path, content_type, name) in [
            (
                format!("/returns/annex-a.xlsx?date={today}"),
                xlsx,
                format!("annex-a-{today}.xlsx"),
            ),
            (
                format!("/returns/annex-a/list-3.csv?date={today}"),
                "text/csv; charset=utf-8",
                format!("annex-a-{today}-list-3.csv"),
            ),
        ] {
            let download = browser
                .get(server.url(&path))
                .send()
                .await
                .expect("download");
            assert_eq!(download.status(), StatusCode::OK, "{path}");
            assert_eq!(download.headers()["content-type"], content_type);
            assert_eq!(
                download.headers()["content-disposition"]
                    .to_str()
                    .unwrap_or_default(),
                format!("attachment; filename=\"{name}\"")
            );
        }
        let csv = client()
            .get(server.url(&format!("/api/returns/annex-a/list-3.csv?date={today}")))
            .bearer_auth(&qa)
            .send()
            .await
            .expect("csv");
        assert_eq!(csv.status(), StatusCode::OK);
        let text = csv.text().await.expect("text");
        assert!(text.starts_with("Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of referral,Referral Source,Referral NFA?"));
        assert_eq!(text.lines().count(), 2);
        let book = client()
            .get(server.url(&format!("/api/returns/annex-a.xlsx?date={today}")))
            .bearer_auth(&qa)
            .send()
            .await
            .expect("xlsx");
        assert_eq!(book.status(), StatusCode::OK);
        assert_eq!(book.headers()["content-type"], xlsx);
        assert_eq!(&book.bytes().await.expect("bytes")[..2], b"PK");

        // A bad date and a list that does not exist.
        let (status, body) = status_of(
            client()
                .get(server.url("/api/returns/annex-a?date=31/03/2026"))
                .bearer_auth(&qa),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("\"date\""), "{body}");
        let refused = page(&server, &browser, "/returns/annex-a?date=next-week").await;
        assert!(refused.contains("govuk-error-summary") && refused.contains("for example"));
        let (status, _) = status_of(
            client()
                .get(server.url(&format!("/api/returns/annex-a/list-8.csv?date={today}")))
                .bearer_auth(&qa),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // No session: 401 (API) and sign-in (page); every other role: 403.
        for path in [
            "/api/returns/annex-a".to_string(),
            format!("/api/returns/annex-a.xlsx?date={today}"),
            format!("/api/returns/annex-a/list-1.csv?date={today}"),
        ] {
            let (status, _) = status_of(client().get(server.url(&path))).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        }
        for username in ["officer", "worker", "manager", "partner", "admin"] {
            let token = api_token(&server, username).await;
            let (status, _) = status_of(
                client()
                    .get(server.url(&format!("/api/returns/annex-a.xlsx?date={today}")))
                    .bearer_auth(&token),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username}");
            let (browser, _) = signed_in_browser(&server, username).await;
            let refused = browser
                .get(server.url(&format!("/returns/annex-a/list-1.csv?date={today}")))
                .send()
                .await
                .expect("page");
            assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{username}");
        }
    }
}

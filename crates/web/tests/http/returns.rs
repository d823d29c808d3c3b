//! The Children in Need census over HTTP on both backends: a child referred this year without
//! a primary need is an error naming the child (API and page, with a link to the child); the
//! XML downloads; only returns staff see it; a year that is not a year is a 422 naming the field.

use crate::child_protection::authorised_strategy;
use crate::support::{api_token, client, get_json, page, servers, signed_in_browser, status_of};
use frontdoor_app::NewWorker;
use frontdoor_domain::authorization::Role;
use frontdoor_domain::returns::cin_census::CensusYear;
use reqwest::StatusCode;

#[tokio::test]
async fn the_census_names_each_child_with_an_error_and_only_returns_staff_see_it() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
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

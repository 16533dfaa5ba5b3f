//! Routes of the routing settings a user carries: predefined attributes,
//! user proficiencies and per-channel user settings (`UpdateUserConfig`).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{MethodRouter, get, post, put};
use serde::de::DeserializeOwned;

use super::{Answer, body, describe, list, list_page, ok_empty, ok_json, remove, search};
use crate::Simulator;
use crate::error::ConnectError;
use crate::proficiencies::ProficiencyChange;
use crate::world::World;

pub(super) fn routes(router: Router<Simulator>) -> Router<Simulator> {
    router
        .route(
            "/predefined-attributes/{instance}",
            put(create_predefined_attribute).merge(list(
                "ListPredefinedAttributes",
                "PredefinedAttributeSummaryList",
                // MaxResult100: the page bound lives in `list_predefined_attributes`.
                |w, instance, page, _| w.list_predefined_attributes(instance, page),
            )),
        )
        .route(
            "/predefined-attributes/{instance}/{name}",
            describe(
                "DescribePredefinedAttribute",
                "PredefinedAttribute",
                World::describe_predefined_attribute,
            )
            .merge(remove(
                "DeletePredefinedAttribute",
                World::delete_predefined_attribute,
            )),
        )
        .route(
            "/search-predefined-attributes",
            search(
                "SearchPredefinedAttributes",
                "PredefinedAttributes",
                World::search_predefined_attributes,
            ),
        )
        .route(
            "/users/{instance}/{user}/associate-proficiencies",
            proficiencies("AssociateUserProficiencies", ProficiencyChange::Associate),
        )
        .route(
            "/users/{instance}/{user}/proficiencies",
            proficiencies("UpdateUserProficiencies", ProficiencyChange::Update)
                .merge(get(list_user_proficiencies)),
        )
        .route(
            "/users/{instance}/{user}/disassociate-proficiencies",
            proficiencies("DisassociateUserProficiencies", ProficiencyChange::Disassociate),
        )
        .route(
            "/users/{instance}/{user}/config",
            user_post("UpdateUserConfig", World::update_user_config),
        )
}

/// `CreatePredefinedAttribute`: `PUT` like every Create*, but answers an empty body.
async fn create_predefined_attribute(
    State(sim): State<Simulator>,
    Path(instance): Path<String>,
    bytes: Bytes,
) -> Answer {
    sim.write("CreatePredefinedAttribute", |w| {
        w.create_predefined_attribute(&instance, body(&bytes)?)
    })
    .await?;
    ok_empty()
}

/// `POST /users/{instance}/{user}/…` with the request in the body; answers
/// an empty 200.
fn user_post<Req: DeserializeOwned + 'static>(
    operation: &'static str,
    run: fn(&mut World, &str, &str, Req) -> Result<(), ConnectError>,
) -> MethodRouter<Simulator> {
    post(
        move |State(sim): State<Simulator>, Path((instance, user)): Path<(String, String)>, bytes: Bytes| async move {
            sim.write(operation, |w| run(w, &instance, &user, body(&bytes)?))
                .await?;
            ok_empty()
        },
    )
}

fn proficiencies(operation: &'static str, change: ProficiencyChange) -> MethodRouter<Simulator> {
    post(
        move |State(sim): State<Simulator>, Path((instance, user)): Path<(String, String)>, bytes: Bytes| async move {
            sim.write(operation, |w| {
                w.change_proficiencies(&instance, &user, change, body(&bytes)?)
            })
            .await?;
            ok_empty()
        },
    )
}

/// `ListUserProficiencies`: a page plus `LastModifiedTime` and `LastModifiedRegion`.
async fn list_user_proficiencies(
    State(sim): State<Simulator>,
    Path((instance, user)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Answer {
    let q = q.as_deref();
    let operation = "ListUserProficiencies";
    let answer = sim
        .read(operation, |w| {
            // The page is bound to the user as well as the instance.
            let page = list_page(operation, &format!("{instance}/{user}"), q)?;
            w.list_user_proficiencies(&instance, &user, &page)
        })
        .await?;
    ok_json(&answer)
}

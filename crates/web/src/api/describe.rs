//! The OpenAPI description of the API's operations: each area lists its operations (method,
//! path, what it does, its parameters and body, its answer) and [`paths`] makes them into the
//! document's `paths`, with the parts every operation shares.

use serde_json::{json, Value};

pub fn problem() -> Value {
    json!({ "description": "Problem details (RFC 9457)", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } })
}
pub fn ok(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "type": "object" } } } })
}
pub fn id_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": { "type": "string", "format": "uuid" } })
}
pub fn body(schema: &str) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}
pub fn secured() -> Value {
    json!([{ "bearer": [] }])
}
/// The usual error answers (401, 403, 404, 409, 422) added to `responses`.
pub fn with_errors(mut responses: Value) -> Value {
    for code in ["401", "403", "404", "409", "422"] {
        responses[code] = problem();
    }
    responses
}

/// One operation of the API: it needs a bearer session and may answer with the usual problems
/// (see [`with_errors`]); built with [`get`], [`post`], [`put`] or [`patch`].
pub struct Operation {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    parameters: Vec<Value>,
    body: Option<&'static str>,
    /// The success status and its description.
    answer: (&'static str, &'static str),
}

fn operation(method: &'static str, path: &'static str, summary: &'static str) -> Operation {
    Operation {
        method,
        path,
        summary,
        parameters: vec![],
        body: None,
        answer: ("200", ""),
    }
}

pub fn get(path: &'static str, summary: &'static str) -> Operation {
    operation("get", path, summary)
}
pub fn post(path: &'static str, summary: &'static str) -> Operation {
    operation("post", path, summary)
}
pub fn put(path: &'static str, summary: &'static str) -> Operation {
    operation("put", path, summary)
}
pub fn patch(path: &'static str, summary: &'static str) -> Operation {
    operation("patch", path, summary)
}

impl Operation {
    /// The record its path's `{id}` names ("Episode id").
    pub fn id(self, description: &str) -> Self {
        self.path_param("id", description)
    }
    pub fn path_param(mut self, name: &str, description: &str) -> Self {
        self.parameters.push(id_param(name, description));
        self
    }
    /// A query parameter (`{ "name": …, "in": "query", … }`).
    pub fn query(mut self, parameter: Value) -> Self {
        self.parameters.push(parameter);
        self
    }
    /// The JSON body it takes, by its schema's name.
    pub fn body(mut self, schema: &'static str) -> Self {
        self.body = Some(schema);
        self
    }
    /// Answers 200 with what `description` says.
    pub fn ok(mut self, description: &'static str) -> Self {
        self.answer = ("200", description);
        self
    }
    /// Answers 201 with what `description` says.
    pub fn created(mut self, description: &'static str) -> Self {
        self.answer = ("201", description);
        self
    }
    fn describe(self) -> Value {
        let (status, description) = self.answer;
        let mut operation = json!({
            "summary": self.summary,
            "security": secured(),
            "responses": with_errors(json!({ status: ok(description) })),
        });
        if !self.parameters.is_empty() {
            operation["parameters"] = Value::Array(self.parameters);
        }
        if let Some(schema) = self.body {
            operation["requestBody"] = body(schema);
        }
        operation
    }
}

/// The document's `paths` for these operations: `{"/api/...": {"get": {...}, ...}}`.
pub fn paths(operations: impl IntoIterator<Item = Operation>) -> Value {
    let mut paths = json!({});
    for operation in operations {
        let (path, method) = (operation.path, operation.method);
        paths[path][method] = operation.describe();
    }
    paths
}

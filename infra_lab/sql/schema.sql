-- infra_lab metadata store: the schema, in versions.
--
-- Each block starts with a line "-- version: N" and is applied, in one transaction, to a store
-- whose PRAGMA user_version is below N; the transaction ends by setting user_version = N.
-- Never edit a released block: add a new one (a migration) with the next number.
-- Provenance chain: dataset_versions -> feature_sets -> training_runs -> model_versions
--                   -> deployments -> predictions.  Every foreign key has an index.

-- version: 1
CREATE TABLE datasets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE dataset_versions (
    id              INTEGER PRIMARY KEY,
    dataset_id      INTEGER NOT NULL REFERENCES datasets(id),
    version         TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    rows            INTEGER NOT NULL CHECK (rows >= 0),
    derived_from_id INTEGER REFERENCES dataset_versions(id),
    documentation   TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (dataset_id, version)
);
CREATE INDEX ix_dataset_versions_dataset ON dataset_versions(dataset_id);
CREATE INDEX ix_dataset_versions_derived ON dataset_versions(derived_from_id);

CREATE TABLE feature_sets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    definition  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE feature_set_inputs (
    feature_set_id      INTEGER NOT NULL REFERENCES feature_sets(id),
    dataset_version_id  INTEGER NOT NULL REFERENCES dataset_versions(id),
    PRIMARY KEY (feature_set_id, dataset_version_id)
);
CREATE INDEX ix_feature_set_inputs_dataset_version ON feature_set_inputs(dataset_version_id);

CREATE TABLE features (
    id              INTEGER PRIMARY KEY,
    feature_set_id  INTEGER NOT NULL REFERENCES feature_sets(id),
    name            TEXT NOT NULL,
    UNIQUE (feature_set_id, name)
);
CREATE INDEX ix_features_feature_set ON features(feature_set_id);

CREATE TABLE training_runs (
    id               INTEGER PRIMARY KEY,
    feature_set_id   INTEGER NOT NULL REFERENCES feature_sets(id),
    code_version     TEXT NOT NULL,
    parameters_json  TEXT NOT NULL,
    metrics_json     TEXT NOT NULL,
    environment_json TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ix_training_runs_feature_set ON training_runs(feature_set_id);

CREATE TABLE models (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE model_versions (
    id             INTEGER PRIMARY KEY,
    model_id       INTEGER NOT NULL REFERENCES models(id),
    version        INTEGER NOT NULL CHECK (version >= 1),
    run_id         INTEGER NOT NULL REFERENCES training_runs(id),
    artifact_hash  TEXT NOT NULL,
    stage          TEXT NOT NULL DEFAULT 'registered'
                   CHECK (stage IN ('registered', 'staging', 'production', 'archived')),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (model_id, version)
);
CREATE INDEX ix_model_versions_model ON model_versions(model_id);
CREATE INDEX ix_model_versions_run ON model_versions(run_id);

CREATE TABLE evaluations (
    id                INTEGER PRIMARY KEY,
    model_version_id  INTEGER NOT NULL REFERENCES model_versions(id),
    metric            TEXT NOT NULL,
    value             REAL NOT NULL,
    threshold         REAL NOT NULL,
    passed            INTEGER NOT NULL CHECK (passed IN (0, 1)),
    dataset_version_id INTEGER REFERENCES dataset_versions(id),
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ix_evaluations_model_version ON evaluations(model_version_id);
CREATE INDEX ix_evaluations_dataset_version ON evaluations(dataset_version_id);

CREATE TABLE approvals (
    id                INTEGER PRIMARY KEY,
    model_version_id  INTEGER NOT NULL REFERENCES model_versions(id),
    approver          TEXT NOT NULL,
    decision          TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    note              TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ix_approvals_model_version ON approvals(model_version_id);

CREATE TABLE stage_transitions (
    id                INTEGER PRIMARY KEY,
    model_version_id  INTEGER NOT NULL REFERENCES model_versions(id),
    from_stage        TEXT NOT NULL,
    to_stage          TEXT NOT NULL,
    reason            TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ix_stage_transitions_model_version ON stage_transitions(model_version_id);

CREATE TABLE deployments (
    id                  INTEGER PRIMARY KEY,
    model_version_id    INTEGER NOT NULL REFERENCES model_versions(id),
    environment         TEXT NOT NULL,
    traffic_share       REAL NOT NULL CHECK (traffic_share >= 0 AND traffic_share <= 1),
    rollback_target_id  INTEGER REFERENCES model_versions(id),
    status              TEXT NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active', 'retired', 'rolled_back')),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ix_deployments_model_version ON deployments(model_version_id);
CREATE INDEX ix_deployments_rollback_target ON deployments(rollback_target_id);

CREATE TABLE predictions (
    id             INTEGER PRIMARY KEY,
    deployment_id  INTEGER NOT NULL REFERENCES deployments(id),
    request_id     TEXT NOT NULL,
    score          REAL NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX ix_predictions_deployment ON predictions(deployment_id);

CREATE TABLE monitoring_reports (
    id             INTEGER PRIMARY KEY,
    deployment_id  INTEGER NOT NULL REFERENCES deployments(id),
    kind           TEXT NOT NULL,
    metrics_json   TEXT NOT NULL,
    passed         INTEGER NOT NULL CHECK (passed IN (0, 1)),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ix_monitoring_reports_deployment ON monitoring_reports(deployment_id);

CREATE TABLE incidents (
    id                  INTEGER PRIMARY KEY,
    severity            TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    description         TEXT NOT NULL,
    dataset_version_id  INTEGER REFERENCES dataset_versions(id),
    model_version_id    INTEGER REFERENCES model_versions(id),
    deployment_id       INTEGER REFERENCES deployments(id),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ix_incidents_dataset_version ON incidents(dataset_version_id);
CREATE INDEX ix_incidents_model_version ON incidents(model_version_id);
CREATE INDEX ix_incidents_deployment ON incidents(deployment_id);

-- The access/audit log is append-only: the database itself refuses UPDATE and DELETE.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    resource  TEXT NOT NULL,
    allowed   INTEGER NOT NULL CHECK (allowed IN (0, 1)),
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_audit_log_resource ON audit_log(resource);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END;

-- Upstream edges of the provenance graph (child -> parent), predictions excluded: a
-- prediction's one parent is its deployment, read by the anchor of the lineage query.
CREATE VIEW lineage_edges (child_kind, child_id, parent_kind, parent_id) AS
    SELECT 'deployment', id, 'model_version', model_version_id FROM deployments
    UNION ALL SELECT 'model_version', id, 'training_run', run_id FROM model_versions
    UNION ALL SELECT 'training_run', id, 'feature_set', feature_set_id FROM training_runs
    UNION ALL SELECT 'feature_set', feature_set_id, 'dataset_version', dataset_version_id FROM feature_set_inputs
    UNION ALL SELECT 'dataset_version', id, 'dataset_version', derived_from_id FROM dataset_versions
              WHERE derived_from_id IS NOT NULL;

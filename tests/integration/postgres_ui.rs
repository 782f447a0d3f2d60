//! The sample, karate and Les Misérables, each pushed into a schema of the
//! test cluster and explored in the real window (`egui_kittest` over
//! `ExploreSpec::Postgres`): a name search, an expansion capped in the
//! Explore tab, its "+N" and "Load next" until every neighbour is shown,
//! the evidence of a clicked relation, and a trace on the source between
//! two shown entities. Every expected answer comes from the SQLite file,
//! read here with rusqlite (and networkx's `reference.json` for the
//! traces), never through the code under test.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use linkscope::app::{ExploreSpec, ExploreStatus, LinkscopeApp};
use linkscope::view::hit::Hit;

use crate::explore_ui::{click_button, click_when_shown, explore_harness, retype};
use crate::postgres::{manifest, push, server};
use crate::ui::{click_at, step_until};

/// A graph file as its rows say, read with rusqlite.
struct FileGraph {
    /// Name and kind by entity id.
    entities: BTreeMap<i64, (String, String)>,
    /// (id, subject, object), by id.
    relations: Vec<(i64, i64, i64)>,
    /// The ids of the excerpts each relation cites, with their text.
    excerpts: BTreeMap<i64, Vec<(i64, String)>>,
}

impl FileGraph {
    fn read(path: &Path) -> Self {
        let connection =
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        let entities = connection
            .prepare("SELECT id, name, kind FROM entities")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let relations = connection
            .prepare("SELECT id, subject_id, object_id FROM relations ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut excerpts: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
        let mut statement = connection
            .prepare(
                "SELECT c.relation_id, x.id, x.text FROM relation_excerpts c
                 JOIN excerpts x ON x.id = c.excerpt_id ORDER BY c.relation_id, x.id",
            )
            .unwrap();
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap();
        for row in rows {
            let (relation, excerpt, text): (i64, i64, String) = row.unwrap();
            excerpts.entry(relation).or_default().push((excerpt, text));
        }
        Self {
            entities,
            relations,
            excerpts,
        }
    }

    fn name(&self, id: i64) -> &str {
        &self.entities[&id].0
    }

    /// The distinct other ends of `entity`'s relations (self-loops left
    /// out), each by its oldest relation to it: the order pages come in.
    fn neighbours_in_order(&self, entity: i64) -> Vec<i64> {
        let mut first: BTreeMap<i64, i64> = BTreeMap::new();
        for &(id, subject, object) in &self.relations {
            let other = if subject == entity {
                object
            } else if object == entity {
                subject
            } else {
                continue;
            };
            if other != entity {
                first.entry(other).or_insert(id);
            }
        }
        let mut order: Vec<(i64, i64)> = first.into_iter().map(|(other, id)| (id, other)).collect();
        order.sort_unstable();
        order.into_iter().map(|(_, other)| other).collect()
    }

    /// The entity with the most distinct neighbours (the lowest id on ties).
    fn busiest(&self) -> i64 {
        let mut busiest = (0, 0);
        for &id in self.entities.keys() {
            let degree = self.neighbours_in_order(id).len();
            if degree > busiest.1 {
                busiest = (id, degree);
            }
        }
        busiest.0
    }

    /// Hops from `from` to every entity it reaches, relations taken either
    /// way, through the entities of `within` only when given.
    fn hops(&self, from: i64, within: Option<&BTreeSet<i64>>) -> BTreeMap<i64, u32> {
        let mut adjacent: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for &(_, subject, object) in &self.relations {
            let inside = within.is_none_or(|set| set.contains(&subject) && set.contains(&object));
            if inside && subject != object {
                adjacent.entry(subject).or_default().push(object);
                adjacent.entry(object).or_default().push(subject);
            }
        }
        breadth_first(from, |id| adjacent.get(&id).cloned().unwrap_or_default())
    }

    /// The ids of the relations whose two ends are both in `entities`.
    fn relations_among(&self, entities: &BTreeSet<i64>) -> Vec<i64> {
        self.relations
            .iter()
            .filter(|(_, subject, object)| entities.contains(subject) && entities.contains(object))
            .map(|&(id, _, _)| id)
            .collect()
    }
}

fn breadth_first(from: i64, next: impl Fn(i64) -> Vec<i64>) -> BTreeMap<i64, u32> {
    let mut hops = BTreeMap::from([(from, 0)]);
    let mut queue = VecDeque::from([from]);
    while let Some(id) = queue.pop_front() {
        let here = hops[&id];
        for other in next(id) {
            hops.entry(other).or_insert_with(|| {
                queue.push_back(other);
                here + 1
            });
        }
    }
    hops
}

/// networkx's undirected shortest-path length between two entities of the
/// graph `name`, from `tests/fixtures/trace/reference.json`.
fn networkx_hops(name: &str, from: i64, to: i64) -> Option<u64> {
    let text = std::fs::read_to_string(manifest("tests/fixtures/trace/reference.json")).unwrap();
    let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<i64> = reference[name]["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    let index = |id: i64| ids.iter().position(|&known| known == id).unwrap();
    reference[name]["hops_undirected"][index(from)][index(to)].as_u64()
}

/// The source ids of the entities the window draws.
fn drawn(app: &LinkscopeApp) -> BTreeSet<i64> {
    app.graph().map_or_else(BTreeSet::new, |graph| {
        (0..graph.node_count() as u32)
            .map(|node| graph.node_db_id(node))
            .collect()
    })
}

fn drawn_relations(app: &LinkscopeApp) -> Vec<i64> {
    let graph = app.graph().unwrap();
    let mut ids: Vec<i64> = (0..graph.edge_count() as u32)
        .map(|edge| graph.edge_db_id(edge))
        .collect();
    ids.sort_unstable();
    ids
}

fn node_of(app: &LinkscopeApp, id: i64) -> u32 {
    app.graph().unwrap().node_by_db_id(id).unwrap()
}

/// The labels of the buttons the window shows that start with `prefix`.
fn buttons_starting(harness: &Harness<'_, LinkscopeApp>, prefix: &str) -> Vec<String> {
    let mut labels: Vec<String> = harness
        .query_all(By::new().role(Role::Button).label_contains(prefix))
        .filter_map(|node| node.accesskit_node().label())
        .filter(|label| label.starts_with(prefix))
        .collect();
    labels.sort();
    labels
}

/// Whether some node's label is `label` (several may be).
fn any_label(harness: &Harness<'_, LinkscopeApp>, label: &str) -> bool {
    harness.query_all(By::new().label(label)).next().is_some()
}

/// Whether some node's label contains `text` (several may).
fn any_label_containing(harness: &Harness<'_, LinkscopeApp>, text: &str) -> bool {
    harness
        .query_all(By::new().label_contains(text))
        .next()
        .is_some()
}

fn has_button(harness: &Harness<'_, LinkscopeApp>, label: &str) -> bool {
    harness
        .query_all(By::new().role(Role::Button).label(label))
        .next()
        .is_some()
}

/// Sets "Neighbours per expansion" in the Explore tab, as assistive
/// technology sets a number field.
fn set_cap(harness: &mut Harness<'_, LinkscopeApp>, cap: u32) {
    let row = harness.get_by_label("Neighbours per expansion").rect();
    harness
        .query_all(By::new().role(Role::SpinButton))
        .find(|field| {
            let rect = field.rect();
            rect.min.x >= row.max.x && (row.min.y..=row.max.y).contains(&rect.center().y)
        })
        .expect("the cap's field beside its label")
        .set_value_accesskit(f64::from(cap));
    harness.run_steps(2);
    let shown = harness
        .query_all(By::new().role(Role::SpinButton))
        .find(|field| {
            let rect = field.rect();
            rect.min.x >= row.max.x && (row.min.y..=row.max.y).contains(&rect.center().y)
        })
        .and_then(|field| field.value());
    assert_eq!(shown.as_deref(), Some(cap.to_string().as_str()));
}

/// Types `id`'s name into "Search names" and clicks its result.
fn search_and_click(harness: &mut Harness<'_, LinkscopeApp>, file: &FileGraph, id: i64) {
    let (name, kind) = &file.entities[&id];
    retype(harness, "Search names", name);
    click_when_shown(harness, &format!("{name} ({kind})"));
}

/// Steps until the window draws exactly `expected`, settled, with `selected`
/// selected.
fn wait_for_scene(
    harness: &mut Harness<'_, LinkscopeApp>,
    what: &str,
    expected: &BTreeSet<i64>,
    selected: i64,
) {
    let done = |app: &LinkscopeApp| {
        drawn(app) == *expected
            && app.explore_scene().into_iter().collect::<BTreeSet<_>>() == *expected
            && app.layout_settled()
            && app
                .graph()
                .and_then(|graph| graph.node_by_db_id(selected))
                .map(Hit::Node)
                == app.selection()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !done(harness.state()) {
        if std::time::Instant::now() >= deadline {
            let shown = drawn(harness.state());
            panic!(
                "timed out waiting for {what}: {:?} missing, {:?} not expected",
                expected.difference(&shown).collect::<Vec<_>>(),
                shown.difference(expected).collect::<Vec<_>>()
            );
        }
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_steps(3);
}

/// Pushes `fixture` as `name` and explores it in the window: the busiest
/// entity by search, `cap` neighbours at a time; the evidence of one of
/// its relations; a trace to an entity 3 or 4 hops away.
fn explore_on_the_server(name: &str, fixture: &str, cap: u32) {
    let started = std::time::Instant::now();
    let path = manifest(fixture);
    let file = FileGraph::read(&path);
    let url = server();
    let schema = format!("window_{name}");
    push(path.to_str().unwrap(), url, &schema);
    let target = linkscope::postgres::PgTarget::new(url, &schema).unwrap();
    let mut harness = explore_harness(ExploreSpec::Postgres(Box::new(target)));
    step_until(
        &mut harness,
        "the server to answer, the scene empty",
        |app| {
            app.explore_status() == Some(ExploreStatus::Ready)
                && app.graph().is_some_and(|graph| graph.node_count() == 0)
        },
    );
    harness.run_steps(2);
    set_cap(&mut harness, cap);

    // Search, then page through the busiest entity's neighbours.
    let centre = file.busiest();
    let centre_name = file.name(centre).to_owned();
    let order = file.neighbours_in_order(centre);
    assert!(
        order.len() > 2 * cap as usize,
        "{name}: {centre_name} must take three pages or more"
    );
    eprintln!(
        "{name}: {centre_name}, {} neighbours, {cap} at a time",
        order.len()
    );
    search_and_click(&mut harness, &file, centre);
    let mut shown = cap as usize;
    loop {
        let expected: BTreeSet<i64> = order[..shown].iter().copied().chain([centre]).collect();
        wait_for_scene(
            &mut harness,
            &format!("{name}: {centre_name} with {shown} neighbours"),
            &expected,
            centre,
        );
        assert_eq!(
            drawn_relations(harness.state()),
            file.relations_among(&expected),
            "{name}: the relations among the entities shown"
        );
        let remaining = order.len() - shown;
        let badges = buttons_starting(&harness, "+");
        if remaining == 0 {
            assert!(badges.is_empty(), "{name}: {badges:?} left");
            assert!(buttons_starting(&harness, "Load next").is_empty());
            assert!(any_label(&harness, "Every neighbour is shown."));
            break;
        }
        assert_eq!(
            badges,
            vec![format!("+{remaining} {centre_name}")],
            "{name}: the \"+N\" of {centre_name} with {shown} of {} neighbours shown",
            order.len()
        );
        let next = format!(
            "Load next {} (+{remaining} more)",
            remaining.min(cap as usize)
        );
        assert!(
            has_button(&harness, &next),
            "{name}: {next:?} is not offered: {:?}",
            buttons_starting(&harness, "Load next")
        );
        click_button(&mut harness, &next);
        shown = (shown + cap as usize).min(order.len());
    }
    let scene: BTreeSet<i64> = order.iter().copied().chain([centre]).collect();

    evidence_on_click(&mut harness, name, &file);
    trace_to_a_far_entity(&mut harness, name, &file, centre, &scene);
    eprintln!(
        "{name}: explored on the server in the window in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// Clicks a drawn relation (one citing 1 to 3 excerpts, the most first,
/// where the file has any) and reads its evidence: the excerpts the file
/// says it cites, or that it cites none.
fn evidence_on_click(harness: &mut Harness<'_, LinkscopeApp>, name: &str, file: &FileGraph) {
    let app = harness.state();
    let graph = app.graph().unwrap();
    let mut candidates: Vec<(usize, i64, u32)> = (0..graph.edge_count() as u32)
        .map(|edge| {
            let id = graph.edge_db_id(edge);
            let cited = file.excerpts.get(&id).map_or(0, Vec::len);
            (cited, id, edge)
        })
        .filter(|&(cited, _, _)| cited <= 3)
        .collect();
    candidates.sort_by_key(|&(cited, id, _)| (std::cmp::Reverse(cited), id));
    let wanted = candidates.first().unwrap().0;
    let (relation, edge, position) = candidates
        .iter()
        .filter(|&&(cited, _, _)| cited == wanted)
        .find_map(|&(_, id, edge)| Some((id, edge, harness.state_mut().edge_click_target(edge)?)))
        .unwrap_or_else(|| panic!("{name}: no relation citing {wanted} excerpts can be clicked"));
    eprintln!("{name}: relation {relation}, citing {wanted} excerpts, clicked");
    click_at(harness, position);
    step_until(harness, "the relation selected", |app| {
        app.selection() == Some(Hit::Edge(edge))
    });
    let excerpts = file.excerpts.get(&relation).cloned().unwrap_or_default();
    let shows = |harness: &Harness<'_, LinkscopeApp>| {
        any_label(harness, &relation.to_string())
            && if excerpts.is_empty() {
                any_label_containing(harness, "Unsupported relation: it cites no excerpt")
            } else {
                excerpts.iter().all(|(_, text)| {
                    let start: String = text.chars().take(60).collect();
                    any_label_containing(harness, &start)
                })
            }
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !shows(harness) {
        assert!(
            std::time::Instant::now() < deadline,
            "{name}: relation {relation}'s evidence never showed"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.get_by_label("Evidence");
    // Exactly the relation's excerpts, by id.
    let shown: BTreeSet<i64> = harness
        .query_all(By::new().label_contains("#"))
        .filter_map(|node| {
            node.accesskit_node()
                .value()?
                .strip_prefix('#')?
                .parse()
                .ok()
        })
        .collect();
    let expected: BTreeSet<i64> = excerpts.iter().map(|(id, _)| *id).collect();
    assert_eq!(shown, expected, "{name}: relation {relation}'s excerpt ids");
    if !excerpts.is_empty() {
        harness.get_by_label(&format!(
            "{} supporting excerpt{}",
            expected.len(),
            if expected.len() == 1 { "" } else { "s" }
        ));
    }
}

/// Brings in an entity 3 or 4 hops from one shown (`centre` if it can) by
/// search, with one neighbour, chosen so that no shortest path between
/// them lies in the scene; selects both and traces on the source: the path
/// joins the scene, as long as networkx says.
fn trace_to_a_far_entity(
    harness: &mut Harness<'_, LinkscopeApp>,
    name: &str,
    file: &FileGraph,
    centre: i64,
    scene: &BTreeSet<i64>,
) {
    let with = |far: i64| -> BTreeSet<i64> {
        let mut grown = scene.clone();
        grown.insert(far);
        grown.extend(file.neighbours_in_order(far).first());
        grown
    };
    // The farthest pair (the centre first, then the lowest ids).
    let (hops, near, far) = scene
        .iter()
        .flat_map(|&near| {
            file.hops(near, None)
                .into_iter()
                .filter(|(far, hops)| (3..=4).contains(hops) && !scene.contains(far))
                .map(move |(far, hops)| (hops, near, far))
        })
        .filter(|&(hops, near, far)| {
            file.hops(near, Some(&with(far)))
                .get(&far)
                .is_none_or(|&inside| inside > hops)
        })
        .max_by_key(|&(hops, near, far)| {
            (
                hops,
                near == centre,
                std::cmp::Reverse(near),
                std::cmp::Reverse(far),
            )
        })
        .unwrap_or_else(|| panic!("{name}: nothing to trace to"));
    assert_eq!(networkx_hops(name, near, far), Some(u64::from(hops)));
    set_cap(harness, 1);
    search_and_click(harness, file, far);
    let before = with(far);
    wait_for_scene(
        harness,
        &format!("{name}: {} with one neighbour", file.name(far)),
        &before,
        far,
    );

    let (near_node, far_node) = {
        let app = harness.state();
        (node_of(app, near), node_of(app, far))
    };
    let at = harness.state().node_on_screen(near_node).unwrap();
    assert_eq!(harness.state_mut().pick_at(at), Some(Hit::Node(near_node)));
    click_at(harness, at);
    let at = harness.state().node_on_screen(far_node).unwrap();
    assert_eq!(harness.state_mut().pick_at(at), Some(Hit::Node(far_node)));
    crate::select::shift_click(harness, at);
    assert_eq!(
        harness.state().selected_entities(),
        vec![near_node.min(far_node), near_node.max(far_node)]
    );
    harness.run_steps(2);
    click_button(harness, "Trace on the source (up to 4 hops)");
    // The notice that says what was found fades after a few seconds: it is
    // kept as soon as it shows, the layout may take longer to settle.
    let mut said: Option<String> = None;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let app = harness.state();
        if said.is_none() {
            said = app
                .messages()
                .find(|message| message.contains("A path of") || message.contains("No path"))
                .map(str::to_owned);
        }
        if let Some(said) = &said {
            assert!(said.starts_with("A path of"), "{name}: {said}");
            if drawn(app).len() > before.len() && app.layout_settled() {
                break;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{name}: no path from {} to {} joined the scene {:?}: {said:?} {:?}",
            file.name(near),
            file.name(far),
            drawn(app),
            app.messages().collect::<Vec<_>>()
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_steps(3);
    let app = harness.state();
    let after = drawn(app);
    assert!(
        after.is_superset(&before),
        "{name}: the scene lost entities"
    );
    let added: BTreeSet<i64> = after.difference(&before).copied().collect();
    let (first, second) = if near_node < far_node {
        (near, far)
    } else {
        (far, near)
    };
    let message = format!(
        "A path of {hops} hops from {} to {} on the source: {} entities added to the scene.",
        file.name(first),
        file.name(second),
        added.len()
    );
    assert_eq!(said.as_deref(), Some(message.as_str()), "{name}");
    eprintln!("{name}: {message}");
    // Each newcomer is on a shortest path, as the file's rows say.
    let from_near = file.hops(near, None);
    let from_far = file.hops(far, None);
    for id in &added {
        assert_eq!(
            from_near[id] + from_far[id],
            hops,
            "{name}: {} is off every shortest path",
            file.name(*id)
        );
    }
    // The scene now holds a path as short as networkx's, and every
    // relation among its entities.
    assert_eq!(drawn_relations(app), file.relations_among(&after));
    let graph = app.graph().unwrap();
    let in_scene = breadth_first(near, |id| {
        let node = graph.node_by_db_id(id).unwrap();
        (0..graph.edge_count() as u32)
            .filter_map(|edge| match graph.edge_endpoints(edge) {
                (s, t) if s == node => Some(graph.node_db_id(t)),
                (s, t) if t == node => Some(graph.node_db_id(s)),
                _ => None,
            })
            .collect()
    });
    assert_eq!(in_scene.get(&far), Some(&hops), "{name}: the path drawn");
}

#[test]
fn the_sample_on_a_server_is_explored_in_the_window_as_the_file_says() {
    explore_on_the_server("sample", "sample-db/sample.sqlite", 4);
}

#[test]
fn karate_on_a_server_is_explored_in_the_window_as_the_file_says() {
    explore_on_the_server("karate", "tests/fixtures/trace/karate.sqlite", 5);
}

#[test]
fn les_miserables_on_a_server_is_explored_in_the_window_as_the_file_says() {
    explore_on_the_server("lesmis", "tests/fixtures/trace/lesmis.sqlite", 10);
}

//! What an engine keeps of the stage rules (issue 30): the rules themselves. Running them is
//! the engines' moves' business, through `store::rules`.

use crate::domain::automation::StageRule;
use crate::domain::fields::Entity;
use crate::store::Result;

/// Stage rules as kept.
pub trait Automation {
    /// Every rule (of one kind of record), by stage then in the order they were made.
    fn stage_rules(&self, entity: Option<Entity>) -> Result<Vec<StageRule>>;

    /// Keeps a new rule (its `id` and `entity` are the store's: the stage's pipeline says the
    /// entity); returns its id.
    fn add_stage_rule(&mut self, rule: &StageRule) -> Result<i64>;

    /// Replaces a rule's name, conditions, actions, error handling and whether it runs
    /// (`Rule::NoSuchStageRule` when `rule.id` names none).
    fn edit_stage_rule(&mut self, rule: &StageRule) -> Result<()>;

    /// Deletes a rule (`Rule::NoSuchStageRule` when `id` names none).
    fn delete_stage_rule(&mut self, id: i64) -> Result<()>;
}

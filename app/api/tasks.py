"""/api/tasks: instructions handed to colleagues, seen by both of them and by managers."""

from app.api.crud import Resource, crud_blueprint
from app.schemas.task import task_args_schema, task_patch_schema, task_schema
from app.services import tasks as svc

resource = Resource(
    "task", "tasks", task_schema, task_patch_schema, task_args_schema, svc.list_tasks,
    svc.get_task, svc.create_task, svc.update_task, svc.delete_task, has_timeline=False)
bp = crud_blueprint(resource)

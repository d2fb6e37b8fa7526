from django import template

from hoiccb.lib.forms import today

register = template.Library()


@register.inclusion_tag("meetings/_home_tasks.html", takes_context=True)
def my_tasks_box(context):
    """The open tasks of the logged-in user, shown on the home page."""
    from hoiccb.meetings import selectors

    user = context["request"].user
    tasks = list(selectors.my_tasks(user).exclude(status="done")[:8]) if user.is_authenticated else []
    return {"tasks": tasks, "today": today()}

{{%AUTOESCAPE context="HTML"}}
{{!nav=audit}}
<form class="filters" method="get" action="/admin/audit" role="search">
<div class="field">
<label for="actor">[[audit.actor]]</label>
<input id="actor" name="actor" type="text" value="{{F_ACTOR}}" maxlength="64" autocomplete="off" autocapitalize="none" spellcheck="false"{{#ERR_actor}} aria-invalid="true" aria-describedby="error-actor"{{/ERR_actor}}>
{{#ERR_actor}}
<p class="field-error" id="error-actor">{{TEXT}}</p>
{{/ERR_actor}}
</div>
<div class="field">
<label for="action">[[audit.action]]</label>
<select id="action" name="action">
<option value="">[[audit.action_any]]</option>
{{#ACTION_OPTION}}
<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ACTION_OPTION}}
</select>
</div>
<div class="field">
<label for="date">[[audit.date]]</label>
<input id="date" name="date" type="date" value="{{F_DATE}}" aria-describedby="hint-date{{#ERR_date}} error-date{{/ERR_date}}"{{#ERR_date}} aria-invalid="true"{{/ERR_date}}>
<p class="hint" id="hint-date">[[audit.date_hint]]</p>
{{#ERR_date}}
<p class="field-error" id="error-date">{{TEXT}}</p>
{{/ERR_date}}
</div>
<div class="actions">
<button type="submit" class="btn">[[audit.filter]]</button>
<a class="btn btn-quiet" href="/admin/audit">[[audit.clear]]</a>
</div>
</form>
<div class="toolbar">
<p class="count">[[audit.count]]</p>
</div>
{{#EMPTY}}
<div class="empty">[[audit.empty]]</div>
{{/EMPTY}}
{{#HAS_ROWS}}
<div class="table-wrap">
<table class="table table-dense">
<thead>
<tr>
<th scope="col">[[audit.col_time]]</th>
<th scope="col">[[audit.col_actor]]</th>
<th scope="col">[[audit.col_addr]]</th>
<th scope="col">[[audit.col_action]]</th>
<th scope="col">[[audit.col_detail]]</th>
</tr>
</thead>
<tbody>
{{#ROW}}
<tr>
<td class="nowrap"><time>{{A_AT}}</time></td>
<td>{{A_ACTOR}}</td>
<td><code>{{A_ADDR}}</code></td>
<td><code>{{A_ACTION}}</code></td>
<td class="wrap">{{A_DETAIL}}</td>
</tr>
{{/ROW}}
</tbody>
</table>
</div>
{{/HAS_ROWS}}
<nav class="pager" aria-label="[[audit.pager]]">
{{#NEWER}}
<a class="btn" href="{{HREF}}" rel="prev">[[audit.newer]]</a>
{{/NEWER}}
{{#OLDER}}
<a class="btn" href="{{HREF}}" rel="next">[[audit.older]]</a>
{{/OLDER}}
</nav>

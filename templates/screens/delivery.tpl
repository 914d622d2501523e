{{%AUTOESCAPE context="HTML"}}
{{!nav=delivery}}
<section class="panel" id="alerts">
<h2>[[delivery.alerts_heading]]</h2>
<p>[[delivery.alerts_text]]</p>
{{#ALERTS_EMPTY}}
<div class="empty" id="alerts-empty">[[delivery.alerts_empty]]</div>
{{/ALERTS_EMPTY}}
{{#HAS_ALERTS}}
<p class="count">[[delivery.alert_count]]{{#ALERTS_MORE}} [[delivery.alerts_more]]{{/ALERTS_MORE}}</p>
<div class="table-wrap">
<table class="table" id="alert-table">
<thead>
<tr>
<th scope="col">[[delivery.col_first_seen]]</th>
<th scope="col">[[delivery.col_last_seen]]</th>
<th scope="col">[[delivery.col_destination]]</th>
<th scope="col">[[delivery.code]]</th>
<th scope="col">[[delivery.col_reply]]</th>
<th scope="col">[[delivery.col_refusals]]</th>
<th scope="col" class="col-actions"><span class="visually-hidden">[[common.actions]]</span></th>
</tr>
</thead>
<tbody>
{{#ALERT}}
<tr id="alert-{{A_ID}}">
<td><time>{{A_FIRST_SEEN}}</time></td>
<td><time>{{A_LAST_SEEN}}</time></td>
<td><code>{{A_DOMAIN}}</code></td>
<td><span class="status status-warn">{{A_CODE}} {{A_ENHANCED}}</span></td>
<td class="wrap"><code>{{A_REPLY}}</code></td>
<td class="alert-count">{{A_COUNT}}</td>
<td class="col-actions">
<form method="post" action="/admin/delivery/alert/{{A_ID}}/ack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="btn btn-quiet">[[delivery.alert_ack]]<span class="visually-hidden"> {{A_DOMAIN}} {{A_ENHANCED}}</span></button>
</form>
</td>
</tr>
{{/ALERT}}
</tbody>
</table>
</div>
{{/HAS_ALERTS}}
</section>
<section class="panel" id="shaping-state">
<h2>[[delivery.state_heading]]</h2>
<p>[[delivery.state_text]]</p>
{{#STATE_EMPTY}}
<div class="empty">[[delivery.state_empty]]</div>
{{/STATE_EMPTY}}
{{#HAS_STATE}}
<div class="table-wrap">
<table class="table" id="state-table">
<thead>
<tr>
<th scope="col">[[delivery.col_destination]]</th>
<th scope="col">[[delivery.col_campaign]]</th>
<th scope="col">[[delivery.col_action]]</th>
<th scope="col">[[delivery.col_until]]</th>
<th scope="col">[[delivery.col_reason]]</th>
<th scope="col" class="col-actions"><span class="visually-hidden">[[common.actions]]</span></th>
</tr>
</thead>
<tbody>
{{#STATE}}
<tr>
<td><code>{{T_DESTINATION}}</code></td>
<td>{{#T_ALL}}[[delivery.campaign_all]]{{/T_ALL}}{{#T_ONE}}{{T_CAMPAIGN}}{{/T_ONE}}</td>
<td><span class="status status-warn">{{T_ACTION}}</span></td>
<td><time>{{T_UNTIL}}</time></td>
<td class="wrap"><code>{{T_REASON}}</code></td>
<td class="col-actions">
<form method="post" action="/admin/delivery/lift">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="destination" value="{{T_DESTINATION}}">
<input type="hidden" name="campaign" value="{{T_CAMPAIGN}}">
<button type="submit" class="btn btn-quiet">[[delivery.lift]]<span class="visually-hidden"> {{T_DESTINATION}}</span></button>
</form>
</td>
</tr>
{{/STATE}}
</tbody>
</table>
</div>
{{/HAS_STATE}}
</section>
<section class="panel" id="profiles">
<h2>[[delivery.profiles_heading]]</h2>
<p class="count">[[delivery.profile_count]]</p>
{{#PROFILES_EMPTY}}
<div class="empty">[[delivery.profiles_empty]]</div>
{{/PROFILES_EMPTY}}
{{#HAS_PROFILES}}
<div class="table-wrap">
<table class="table" id="profile-table">
<thead>
<tr>
<th scope="col">[[delivery.col_domain]]</th>
<th scope="col">[[delivery.max_conns]]</th>
<th scope="col">[[delivery.msgs_per_conn]]</th>
<th scope="col">[[delivery.msgs_per_min]]</th>
<th scope="col">[[delivery.slow_start]]</th>
<th scope="col">[[delivery.tls_policy]]</th>
<th scope="col">[[delivery.col_enabled]]</th>
<th scope="col">[[delivery.note]]</th>
<th scope="col" class="col-actions"><span class="visually-hidden">[[common.actions]]</span></th>
</tr>
</thead>
<tbody>
{{#PROFILE}}
<tr{{#P_OFF}} class="row-off"{{/P_OFF}}>
<td><code>{{P_DOMAIN}}</code></td>
<td>{{P_MAX_CONNS}}</td>
<td>{{P_MSGS_PER_CONN}}</td>
<td>{{P_MSGS_PER_MIN}}</td>
<td>{{P_SLOW_START}}</td>
<td>{{P_TLS}}</td>
<td>{{#P_ON}}<span class="status status-ok">[[delivery.on]]</span>{{/P_ON}}{{#P_OFF}}<span class="status status-off">[[delivery.off]]</span>{{/P_OFF}}</td>
<td class="wrap">{{P_NOTE}}</td>
<td class="col-actions"><a href="/admin/delivery/profile/{{P_ID}}">[[common.edit]]<span class="visually-hidden"> {{P_DOMAIN}}</span></a> <a class="link-danger" href="/admin/delivery/profile/{{P_ID}}#delete">[[common.delete]]<span class="visually-hidden"> {{P_DOMAIN}}</span></a></td>
</tr>
{{/PROFILE}}
</tbody>
</table>
</div>
{{/HAS_PROFILES}}
</section>
<section class="panel" id="new-profile">
<h2>[[delivery.new_profile_heading]]</h2>
<form class="form form-inline" method="post" action="/admin/delivery/profile">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="domain">[[delivery.domain]]</label>
<input id="domain" name="domain" type="text" value="{{FORM_DOMAIN}}" maxlength="253" autocomplete="off" spellcheck="false" required aria-describedby="hint-domain{{#ERR_domain}} error-domain{{/ERR_domain}}"{{#ERR_domain}} aria-invalid="true"{{/ERR_domain}}>
<p class="hint" id="hint-domain">[[delivery.domain_hint]]</p>
{{#ERR_domain}}
<p class="field-error" id="error-domain">{{TEXT}}</p>
{{/ERR_domain}}
</div>
<div class="field">
<label for="max_conns">[[delivery.max_conns]]</label>
<input id="max_conns" name="max_conns" type="text" value="{{FORM_MAX_CONNS}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="hint-max_conns{{#ERR_max_conns}} error-max_conns{{/ERR_max_conns}}"{{#ERR_max_conns}} aria-invalid="true"{{/ERR_max_conns}}>
<p class="hint" id="hint-max_conns">[[delivery.limit_hint]]</p>
{{#ERR_max_conns}}
<p class="field-error" id="error-max_conns">{{TEXT}}</p>
{{/ERR_max_conns}}
</div>
<div class="field">
<label for="msgs_per_conn">[[delivery.msgs_per_conn]]</label>
<input id="msgs_per_conn" name="msgs_per_conn" type="text" value="{{FORM_MSGS_PER_CONN}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="{{#ERR_msgs_per_conn}} error-msgs_per_conn{{/ERR_msgs_per_conn}}"{{#ERR_msgs_per_conn}} aria-invalid="true"{{/ERR_msgs_per_conn}}>
{{#ERR_msgs_per_conn}}
<p class="field-error" id="error-msgs_per_conn">{{TEXT}}</p>
{{/ERR_msgs_per_conn}}
</div>
<div class="field">
<label for="msgs_per_min">[[delivery.msgs_per_min]]</label>
<input id="msgs_per_min" name="msgs_per_min" type="text" value="{{FORM_MSGS_PER_MIN}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="{{#ERR_msgs_per_min}} error-msgs_per_min{{/ERR_msgs_per_min}}"{{#ERR_msgs_per_min}} aria-invalid="true"{{/ERR_msgs_per_min}}>
{{#ERR_msgs_per_min}}
<p class="field-error" id="error-msgs_per_min">{{TEXT}}</p>
{{/ERR_msgs_per_min}}
</div>
<div class="field">
<label for="slow_start">[[delivery.slow_start]]</label>
<input id="slow_start" name="slow_start" type="text" value="{{FORM_SLOW_START}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="{{#ERR_slow_start}} error-slow_start{{/ERR_slow_start}}"{{#ERR_slow_start}} aria-invalid="true"{{/ERR_slow_start}}>
{{#ERR_slow_start}}
<p class="field-error" id="error-slow_start">{{TEXT}}</p>
{{/ERR_slow_start}}
</div>
<div class="field">
<label for="tls_policy">[[delivery.tls_policy]]</label>
<select id="tls_policy" name="tls_policy"{{#ERR_tls_policy}} aria-invalid="true" aria-describedby="error-tls_policy"{{/ERR_tls_policy}}>
{{#TLS_OPT}}<option value="{{O_VALUE}}"{{#O_SEL}} selected{{/O_SEL}}>{{O_LABEL}}</option>{{/TLS_OPT}}
</select>
{{#ERR_tls_policy}}
<p class="field-error" id="error-tls_policy">{{TEXT}}</p>
{{/ERR_tls_policy}}
</div>
<div class="field field-check">
<input id="enabled" name="enabled" type="checkbox" value="1"{{#FORM_ENABLED}} checked{{/FORM_ENABLED}}>
<label for="enabled">[[delivery.enabled]]</label>
</div>
<div class="field">
<label for="note">[[delivery.note]]</label>
<input id="note" name="note" type="text" value="{{FORM_NOTE}}" maxlength="255" autocomplete="off" spellcheck="false" aria-describedby="{{#ERR_note}} error-note{{/ERR_note}}"{{#ERR_note}} aria-invalid="true"{{/ERR_note}}>
{{#ERR_note}}
<p class="field-error" id="error-note">{{TEXT}}</p>
{{/ERR_note}}
</div>
<div class="actions">
<button type="submit" class="btn btn-primary">[[delivery.add_profile]]</button>
</div>
</form>
</section>
<section class="panel" id="rules">
<h2>[[delivery.rules_heading]]</h2>
<p>[[delivery.rules_text]]</p>
<p class="count">[[delivery.rule_count]]</p>
{{#RULES_EMPTY}}
<div class="empty">[[delivery.rules_empty]]</div>
{{/RULES_EMPTY}}
{{#HAS_RULES}}
<div class="table-wrap">
<table class="table" id="rule-table">
<thead>
<tr>
<th scope="col">[[delivery.position]]</th>
<th scope="col">[[delivery.col_domain]]</th>
<th scope="col">[[delivery.code]]</th>
<th scope="col">[[delivery.enhanced]]</th>
<th scope="col">[[delivery.text]]</th>
<th scope="col">[[delivery.action]]</th>
<th scope="col">[[delivery.scope]]</th>
<th scope="col">[[delivery.seconds]]</th>
<th scope="col">[[delivery.col_enabled]]</th>
<th scope="col" class="col-actions"><span class="visually-hidden">[[common.actions]]</span></th>
</tr>
</thead>
<tbody>
{{#RULE}}
<tr{{#S_OFF}} class="row-off"{{/S_OFF}}>
<td>{{S_POSITION}}</td>
<td>{{#S_ANY}}[[delivery.domain_any]]{{/S_ANY}}{{#S_ONE}}<code>{{S_DOMAIN}}</code>{{/S_ONE}}</td>
<td>{{S_CODE}}</td>
<td><code>{{S_ENHANCED}}</code></td>
<td class="wrap"><code>{{S_TEXT}}</code></td>
<td>{{S_ACTION}}</td>
<td>{{S_SCOPE}}</td>
<td>{{S_SECONDS}}</td>
<td>{{#S_ON}}<span class="status status-ok">[[delivery.on]]</span>{{/S_ON}}{{#S_OFF}}<span class="status status-off">[[delivery.off]]</span>{{/S_OFF}}</td>
<td class="col-actions"><a href="/admin/delivery/rule/{{S_ID}}">[[common.edit]]<span class="visually-hidden"> {{S_POSITION}}</span></a> <a class="link-danger" href="/admin/delivery/rule/{{S_ID}}#delete">[[common.delete]]<span class="visually-hidden"> {{S_POSITION}}</span></a></td>
</tr>
{{/RULE}}
</tbody>
</table>
</div>
{{/HAS_RULES}}
</section>
<section class="panel" id="new-rule">
<h2>[[delivery.new_rule_heading]]</h2>
<form class="form form-inline" method="post" action="/admin/delivery/rule">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="position">[[delivery.position]]</label>
<input id="position" name="position" type="text" value="{{FORM_POSITION}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="hint-position{{#ERR_position}} error-position{{/ERR_position}}"{{#ERR_position}} aria-invalid="true"{{/ERR_position}}>
<p class="hint" id="hint-position">[[delivery.position_hint]]</p>
{{#ERR_position}}
<p class="field-error" id="error-position">{{TEXT}}</p>
{{/ERR_position}}
</div>
<div class="field">
<label for="rule_domain">[[delivery.rule_domain]]</label>
<input id="rule_domain" name="rule_domain" type="text" value="{{FORM_RULE_DOMAIN}}" maxlength="253" autocomplete="off" spellcheck="false" aria-describedby="hint-rule_domain{{#ERR_rule_domain}} error-rule_domain{{/ERR_rule_domain}}"{{#ERR_rule_domain}} aria-invalid="true"{{/ERR_rule_domain}}>
<p class="hint" id="hint-rule_domain">[[delivery.rule_domain_hint]]</p>
{{#ERR_rule_domain}}
<p class="field-error" id="error-rule_domain">{{TEXT}}</p>
{{/ERR_rule_domain}}
</div>
<div class="field">
<label for="code">[[delivery.code]]</label>
<input id="code" name="code" type="text" value="{{FORM_CODE}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="hint-code{{#ERR_code}} error-code{{/ERR_code}}"{{#ERR_code}} aria-invalid="true"{{/ERR_code}}>
<p class="hint" id="hint-code">[[delivery.code_hint]]</p>
{{#ERR_code}}
<p class="field-error" id="error-code">{{TEXT}}</p>
{{/ERR_code}}
</div>
<div class="field">
<label for="enhanced">[[delivery.enhanced]]</label>
<input id="enhanced" name="enhanced" type="text" value="{{FORM_ENHANCED}}" maxlength="15" autocomplete="off" spellcheck="false" aria-describedby="hint-enhanced{{#ERR_enhanced}} error-enhanced{{/ERR_enhanced}}"{{#ERR_enhanced}} aria-invalid="true"{{/ERR_enhanced}}>
<p class="hint" id="hint-enhanced">[[delivery.enhanced_hint]]</p>
{{#ERR_enhanced}}
<p class="field-error" id="error-enhanced">{{TEXT}}</p>
{{/ERR_enhanced}}
</div>
<div class="field">
<label for="text">[[delivery.text]]</label>
<input id="text" name="text" type="text" value="{{FORM_TEXT}}" maxlength="128" autocomplete="off" spellcheck="false" aria-describedby="hint-text{{#ERR_text}} error-text{{/ERR_text}}"{{#ERR_text}} aria-invalid="true"{{/ERR_text}}>
<p class="hint" id="hint-text">[[delivery.text_hint]]</p>
{{#ERR_text}}
<p class="field-error" id="error-text">{{TEXT}}</p>
{{/ERR_text}}
</div>
<div class="field">
<label for="action">[[delivery.action]]</label>
<select id="action" name="action"{{#ERR_action}} aria-invalid="true" aria-describedby="error-action"{{/ERR_action}}>
{{#ACTION_OPT}}<option value="{{O_VALUE}}"{{#O_SEL}} selected{{/O_SEL}}>{{O_LABEL}}</option>{{/ACTION_OPT}}
</select>
{{#ERR_action}}
<p class="field-error" id="error-action">{{TEXT}}</p>
{{/ERR_action}}
</div>
<div class="field">
<label for="scope">[[delivery.scope]]</label>
<select id="scope" name="scope"{{#ERR_scope}} aria-invalid="true" aria-describedby="error-scope"{{/ERR_scope}}>
{{#SCOPE_OPT}}<option value="{{O_VALUE}}"{{#O_SEL}} selected{{/O_SEL}}>{{O_LABEL}}</option>{{/SCOPE_OPT}}
</select>
{{#ERR_scope}}
<p class="field-error" id="error-scope">{{TEXT}}</p>
{{/ERR_scope}}
</div>
<div class="field">
<label for="seconds">[[delivery.seconds]]</label>
<input id="seconds" name="seconds" type="text" value="{{FORM_SECONDS}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="hint-seconds{{#ERR_seconds}} error-seconds{{/ERR_seconds}}"{{#ERR_seconds}} aria-invalid="true"{{/ERR_seconds}}>
<p class="hint" id="hint-seconds">[[delivery.seconds_hint]]</p>
{{#ERR_seconds}}
<p class="field-error" id="error-seconds">{{TEXT}}</p>
{{/ERR_seconds}}
</div>
<div class="field field-check">
<input id="rule_enabled" name="rule_enabled" type="checkbox" value="1"{{#FORM_RULE_ENABLED}} checked{{/FORM_RULE_ENABLED}}>
<label for="rule_enabled">[[delivery.enabled]]</label>
</div>
<div class="field">
<label for="rule_note">[[delivery.note]]</label>
<input id="rule_note" name="rule_note" type="text" value="{{FORM_RULE_NOTE}}" maxlength="255" autocomplete="off" spellcheck="false" aria-describedby="{{#ERR_rule_note}} error-rule_note{{/ERR_rule_note}}"{{#ERR_rule_note}} aria-invalid="true"{{/ERR_rule_note}}>
{{#ERR_rule_note}}
<p class="field-error" id="error-rule_note">{{TEXT}}</p>
{{/ERR_rule_note}}
</div>
<div class="actions">
<button type="submit" class="btn btn-primary">[[delivery.add_rule]]</button>
</div>
</form>
</section>

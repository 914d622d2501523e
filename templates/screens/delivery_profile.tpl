{{%AUTOESCAPE context="HTML"}}
{{!nav=delivery}}
<section class="panel">
<h2>[[delivery_profile.edit_heading]]</h2>
<form class="form" method="post" action="/admin/delivery/profile/{{ID}}">
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
<button type="submit" class="btn btn-primary">[[common.save]]</button>
<a class="btn btn-quiet" href="/admin/delivery">[[common.cancel]]</a>
</div>
</form>
</section>
<section class="panel panel-danger" id="delete">
<h2>[[delivery_profile.delete_heading]]</h2>
<p>[[delivery_profile.delete_text]]</p>
<form class="form" method="post" action="/admin/delivery/profile/{{ID}}/delete">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="actions">
<button type="submit" class="btn btn-danger">[[delivery_profile.delete]]</button>
</div>
</form>
</section>

local r = rec_read(@Record)
if r == nil or r.sid ~= @SendId then return 0 end
r.d = 1
rec_update(@Record, r)
return 1
